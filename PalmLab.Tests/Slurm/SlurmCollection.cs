namespace PalmLab.Tests.Slurm;

/// <summary>The tests that submit jobs to the test cluster share its two CPUs: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection
{
    public const string Name = "Slurm cluster";
}

namespace PalmLab.Tests.Cli;

/// <summary>The CLI test classes that need a trained checkpoint share one, so training happens once.</summary>
[CollectionDefinition(Name)]
public sealed class CheckpointCollection : ICollectionFixture<CheckpointFixture>
{
    public const string Name = "checkpoint";
}

using PalmLab.Web.Data;

namespace PalmLab.Web.Api;

/// <summary>A Slurm run's job: its id, its state as Slurm last gave it, and the resources the run asked for.</summary>
public sealed record RunJobDto(string? JobId, string? State, SlurmResources Resources);

using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>One row of the runs list: a run's columns and its best metrics, as one SQL projection.</summary>
public sealed record RunListRow
{
    /// <summary>Rows are the same run when their ids are, so a selection survives a reload with newer values.</summary>
    public static readonly IEqualityComparer<RunListRow> ById = EqualityComparer<RunListRow>.Create((a, b) => a?.Id == b?.Id, r => r.Id);

    public int Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Comma-separated, as stored.</summary>
    public string? Tags { get; init; }

    public RunStatus Status { get; init; }

    /// <summary>Why the run failed, in words for the user.</summary>
    public string? ErrorMessage { get; init; }

    public int Depth { get; init; }

    public int ImageSize { get; init; }

    /// <summary>Where the network started: "scratch" or a pretrained backbone's name.</summary>
    public string Backbone { get; init; } = Engine.Backbones.Backbones.Scratch;

    public int Epochs { get; init; }

    public int EpochsDone { get; init; }

    public string? DataSet { get; init; }

    /// <summary>Where the run trains: <see cref="RunExecutors.Local"/> or <see cref="RunExecutors.Slurm"/>.</summary>
    public string Executor { get; init; } = RunExecutors.Local;

    /// <summary>A Slurm run's job id, once submitted.</summary>
    public string? JobId { get; init; }

    /// <summary>The best epoch's AUC; for a cross-validated run the mean over the folds at the final epoch.</summary>
    public double? BestAuc { get; init; }

    /// <summary>The best accuracy; for a cross-validated run the mean over the folds at the final epoch.</summary>
    public double? BestAccuracy { get; init; }

    /// <summary>The folds of a cross-validated run; null for an ordinary run.</summary>
    public int? Folds { get; init; }

    /// <summary>A cross-validated run's folds that reached the final epoch, and the mean squares of their metrics (for the std).</summary>
    public int FoldsFinished { get; init; }

    public double? AucMeanSquare { get; init; }

    public double? AccuracyMeanSquare { get; init; }

    public double? AucStd => SampleStd(BestAuc, AucMeanSquare);

    public double? AccuracyStd => SampleStd(BestAccuracy, AccuracyMeanSquare);

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>A running run's batch and time left (read after the page's query, for its running rows only).</summary>
    public RunningProgress? Progress { get; init; }

    public IReadOnlyList<string> TagList =>
        Tags?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    public string Model => $"ResNet-{Depth} · {ImageSize} px" + (Backbone == Engine.Backbones.Backbones.Scratch ? "" : $" · from {Backbone}");

    // From the mean and the mean square as SQL gives them: n/(n-1) (E[x²] - E[x]²), never below zero from rounding.
    private double? SampleStd(double? mean, double? meanSquare) =>
        Folds is null || FoldsFinished < 2 || mean is not { } m || meanSquare is not { } sq ? null
        : Math.Sqrt(Math.Max(0, (sq - m * m) * FoldsFinished / (FoldsFinished - 1)));
}

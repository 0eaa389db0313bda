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

    public int Epochs { get; init; }

    public int EpochsDone { get; init; }

    public string? DataSet { get; init; }

    public double? BestAuc { get; init; }

    public double? BestAccuracy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>A running run's batch and time left (read after the page's query, for its running rows only).</summary>
    public RunningProgress? Progress { get; init; }

    public IReadOnlyList<string> TagList =>
        Tags?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    public string Model => $"ResNet-{Depth} · {ImageSize} px";
}

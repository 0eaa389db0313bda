namespace PalmLab.Web.Data;

/// <summary>A registered data set: where its images are and what the engine's report said about them.</summary>
public sealed class DataSet
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The data set's folder.</summary>
    public required string Path { get; set; }

    public required string TrainDir { get; set; }

    public string? ValidDir { get; set; }

    public string? LabelsPath { get; set; }

    public int TrainImages { get; set; }

    public int ValidationImages { get; set; }

    public string? ContentHash { get; set; }

    /// <summary>The engine's data set report, as JSON.</summary>
    public string? ReportJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

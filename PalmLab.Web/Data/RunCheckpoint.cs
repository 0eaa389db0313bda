namespace PalmLab.Web.Data;

/// <summary>A checkpoint file of a run (or of one fold of a cross-validated run): its "last" and its "best" (by validation AUC, then accuracy).</summary>
public sealed class RunCheckpoint
{
    public int Id { get; set; }

    public int RunId { get; set; }

    /// <summary>The cross-validation fold (1..K) whose checkpoint this is (in fold-K/); null for an ordinary run.</summary>
    public int? Fold { get; set; }

    public int Epoch { get; set; }

    public CheckpointKind Kind { get; set; }

    public required string Path { get; set; }

    public long SizeBytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

namespace PalmLab.Web.Data;

/// <summary>The loss of one optimizer step.</summary>
public sealed class BatchLoss
{
    public long Id { get; set; }

    public int RunId { get; set; }

    public long Step { get; set; }

    public int Epoch { get; set; }

    /// <summary>The cross-validation fold (1..K) of this step; null for an ordinary run. Steps run on across folds.</summary>
    public int? Fold { get; set; }

    public double Loss { get; set; }

    public double LearningRate { get; set; }
}

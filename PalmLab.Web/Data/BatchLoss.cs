namespace PalmLab.Web.Data;

/// <summary>The loss of one optimizer step.</summary>
public sealed class BatchLoss
{
    public long Id { get; set; }

    public int RunId { get; set; }

    public long Step { get; set; }

    public int Epoch { get; set; }

    public double Loss { get; set; }

    public double LearningRate { get; set; }
}

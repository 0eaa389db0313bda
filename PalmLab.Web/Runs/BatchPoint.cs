namespace PalmLab.Web.Runs;

/// <summary>One optimizer step's loss, as the API and the live stream carry it.</summary>
public sealed record BatchPoint(long Step, int Epoch, double Loss, double LearningRate);

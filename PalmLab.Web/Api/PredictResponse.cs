namespace PalmLab.Web.Api;

/// <summary>The answer of POST /api/predict: the checkpoint used and one result per uploaded file, in upload order.</summary>
public sealed record PredictResponse(PredictCheckpointDto Checkpoint, double Threshold, IReadOnlyList<PredictedFileDto> Results);

using PalmLab.Web.Data;

namespace PalmLab.Web.Api;

/// <summary>A checkpoint of a run; <see cref="Fold"/> is its cross-validation fold (1..K), null for an ordinary run.</summary>
public sealed record CheckpointDto(CheckpointKind Kind, int Epoch, long SizeBytes, DateTimeOffset CreatedAt, int? Fold = null);

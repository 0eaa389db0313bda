using PalmLab.Web.Data;

namespace PalmLab.Web.Api;

public sealed record CheckpointDto(CheckpointKind Kind, int Epoch, long SizeBytes, DateTimeOffset CreatedAt);

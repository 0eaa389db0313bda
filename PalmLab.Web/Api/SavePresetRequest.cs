namespace PalmLab.Web.Api;

/// <summary>The body of POST /api/sweeps/{id}/preset: the new preset's name.</summary>
public sealed record SavePresetRequest(string? Name);

namespace PalmLab.Engine.Synthetic;

/// <summary>
/// An irregular patch of chorioretinal atrophy in image pixels: its edge lies at Radius * (1 + sum of
/// Amplitudes[k] * cos((k + 2) * angle + Phases[k])); Pigment (0..1) darkens parts of its rim.
/// </summary>
internal sealed record AtrophyPatch(float X, float Y, float Radius, float[] Amplitudes, float[] Phases, float Pigment, int PigmentLobes, float PigmentPhase);

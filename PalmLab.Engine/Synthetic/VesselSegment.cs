namespace PalmLab.Engine.Synthetic;

/// <summary>A piece of a drawn vessel in image pixels: from (X0, Y0) at width W0 to (X1, Y1) at width W1.</summary>
internal readonly record struct VesselSegment(float X0, float Y0, float W0, float X1, float Y1, float W1, float Opacity);

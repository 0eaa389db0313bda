namespace PalmLab.Engine.DataSets;

/// <summary>How many images of a data set are <see cref="Width"/> x <see cref="Height"/> pixels.</summary>
public sealed record ImageSizeCount(int Width, int Height, int Count);

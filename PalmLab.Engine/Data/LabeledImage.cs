namespace PalmLab.Engine.Data;

/// <summary>An image file and its label: 1 pathologic myopia, 0 not (normal or high myopia).</summary>
public sealed record LabeledImage(string Path, int Label);

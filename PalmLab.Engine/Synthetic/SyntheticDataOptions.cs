namespace PalmLab.Engine.Synthetic;

/// <summary>
/// What <see cref="FundusGenerator"/> makes: counts, image size and JPEG quality. The same options give byte-identical
/// files. The default size renders 400 + 400 images in well under 30 seconds on two cores; the real photographs are
/// 2124x2056 or 1444x1444, which work too, only slower.
/// </summary>
public sealed record SyntheticDataOptions
{
    public const int MaxCount = 9999;
    public const int MinSize = 64;
    public const int MaxSize = 4096;

    public int Seed { get; init; }

    public int TrainCount { get; init; } = 400;

    public int ValidationCount { get; init; } = 400;

    public int Width { get; init; } = 384;

    public int Height { get; init; } = 384;

    public int JpegQuality { get; init; } = 90;

    /// <summary>Every problem with the options, one message per field; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TrainCount is < 1 or > MaxCount) errors.Add($"train-count: must be between 1 and {MaxCount}, not {TrainCount}");
        if (ValidationCount is < 1 or > MaxCount) errors.Add($"valid-count: must be between 1 and {MaxCount}, not {ValidationCount}");
        if (Width is < MinSize or > MaxSize) errors.Add($"width: must be between {MinSize} and {MaxSize} pixels, not {Width}");
        if (Height is < MinSize or > MaxSize) errors.Add($"height: must be between {MinSize} and {MaxSize} pixels, not {Height}");
        if (JpegQuality is < 1 or > 100) errors.Add($"jpeg-quality: must be between 1 and 100, not {JpegQuality}");
        return errors;
    }

    /// <summary>Throws a <see cref="PalmLabException"/> listing every invalid option.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new PalmLabException("Invalid generation options: " + string.Join("; ", errors) + ".");
        }
    }
}

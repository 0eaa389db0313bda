namespace PalmLab.Engine.Inference;

/// <summary>What a prediction averages besides the image itself.</summary>
public enum TestTimeAugmentation
{
    /// <summary>The image as it is.</summary>
    None,

    /// <summary>The mean of the probabilities of the image and of its horizontal mirror (per model).</summary>
    Flip,
}

/// <summary>Names of <see cref="TestTimeAugmentation"/> as the command line and the API write them: "none" and "flip".</summary>
public static class TestTimeAugmentations
{
    public static string NameOf(TestTimeAugmentation tta) => tta == TestTimeAugmentation.Flip ? "flip" : "none";

    /// <summary>"none" or "flip" (any case, blank = none); throws <see cref="PalmLabException"/> naming <paramref name="option"/> otherwise.</summary>
    public static TestTimeAugmentation Parse(string? value, string option) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => TestTimeAugmentation.None,
        "flip" => TestTimeAugmentation.Flip,
        _ => throw new PalmLabException($"{option}: must be none or flip, not '{Shorten(value)}'."),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

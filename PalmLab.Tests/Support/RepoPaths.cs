namespace PalmLab.Tests.Support;

/// <summary>Paths relative to the repository root (the folder holding PalmLab.sln).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The 400 real iChallenge-PM training images, beside the repository (never inside it).</summary>
    public static string RealTrainingImages => Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets", "palm-train-224", "PALM-Training400"));

    /// <summary>Fails (never skips) when the real images are missing: CI must have them.</summary>
    public static string RequireRealTrainingImages()
    {
        var path = RealTrainingImages;
        Assert.True(Directory.Exists(path) && Directory.EnumerateFiles(path, "*.jpg").Count() == 400,
            $"The real iChallenge-PM images are missing: expected 400 JPEGs in {path} (../shared/datasets/palm-train-224 beside the repository).");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PalmLab.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"PalmLab.sln not found above {AppContext.BaseDirectory}.");
    }
}

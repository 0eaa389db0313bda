using PalmLab.Engine.Data;

namespace PalmLab.Engine.DataSets;

/// <summary>
/// Where the parts of an iChallenge-PM layout lie inside a folder, at any nesting (the official zips unpack to
/// <c>PALM-Training400/PALM-Training400/*.jpg</c>). Paths are full paths; <c>__MACOSX</c>, hidden folders and links are passed over.
/// </summary>
/// <param name="Root">The folder searched.</param>
/// <param name="TrainingDir">The folder named like <c>*Training400*</c> that holds images, else the only folder holding N*, H* or P* images.</param>
/// <param name="ValidationDir">The folder named like <c>*Validation400*</c> that holds images, if any.</param>
/// <param name="LabelsFile"><c>labels.csv</c> or <c>PM_Label_and_Fovea_Location.xlsx</c>, preferably inside a <c>*GT*</c> folder, if any.</param>
public sealed record DataSetLayout(string Root, string TrainingDir, string? ValidationDir, string? LabelsFile)
{
    private const int MaxDepth = 16;

    /// <summary>True for the names a labels file may have.</summary>
    public static bool IsLabelsFileName(string fileName) =>
        fileName.Equals(OfficialLayout.XlsxLabelsName, StringComparison.OrdinalIgnoreCase) || fileName.Equals(OfficialLayout.CsvLabelsName, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a file or folder name that is never data: macOS and Windows litter and hidden entries (".DS_Store", "._N0001.jpg").</summary>
    public static bool IsLitter(string name) =>
        name.StartsWith('.') || name.Equals("__MACOSX", StringComparison.OrdinalIgnoreCase) || name.Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase);

    /// <summary>Finds the layout inside <paramref name="folder"/>.</summary>
    /// <exception cref="PalmLabException">No training folder, or several candidates for one part.</exception>
    public static DataSetLayout Find(string folder) => Find(folder, folder);

    /// <summary><paramref name="path"/> relative to <see cref="Root"/>, with '/' separators.</summary>
    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    internal static DataSetLayout Find(string folder, string shownAs)
    {
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new PalmLabException($"Folder {folder} does not exist.");
        }
        var folders = new List<(string Dir, List<string> Images)>();
        var labels = new List<string>();
        Walk(root, 0, folders, labels);

        string Show(string dir) => dir == root ? "." : Path.GetRelativePath(root, dir);
        string? Single(IEnumerable<string> candidates, string part)
        {
            var list = candidates.ToList();
            return list.Count <= 1 ? list.FirstOrDefault()
                : throw new PalmLabException($"{shownAs}: several folders could be the {part} folder: {DatasetReader.NameList(list.Select(Show).ToList())}. Keep one.");
        }
        bool Named(string dir, string part) => Path.GetFileName(dir).Contains(part, StringComparison.OrdinalIgnoreCase);

        var withImages = folders.Where(f => f.Images.Count > 0).ToList();
        var validation = Single(withImages.Where(f => Named(f.Dir, "Validation400")).Select(f => f.Dir), "validation");
        var training = Single(withImages.Where(f => Named(f.Dir, "Training400")).Select(f => f.Dir), "training")
            ?? Single(withImages.Where(f => f.Dir != validation && f.Images.Any(i => DatasetReader.LabelFromFileName(i) is not null)).Select(f => f.Dir), "training")
            ?? throw new PalmLabException(
                $"{shownAs}: no training folder found (expected a folder named like PALM-Training400 holding N*.jpg, H*.jpg and P*.jpg images).");
        var labelsFile = labels
            .OrderBy(l => Path.GetRelativePath(root, Path.GetDirectoryName(l)!).Split(Path.DirectorySeparatorChar).Any(p => p.Contains("GT", StringComparison.Ordinal)) ? 0 : 1)
            .ThenBy(l => Path.GetFileName(l).Equals(OfficialLayout.CsvLabelsName, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(l => l.Length)
            .ThenBy(l => l, StringComparer.Ordinal)
            .FirstOrDefault();
        return new DataSetLayout(root, training, validation, labelsFile);
    }

    private static void Walk(string dir, int depth, List<(string Dir, List<string> Images)> folders, List<string> labels)
    {
        var images = new List<string>();
        foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (IsLitter(name))
            {
                continue;
            }
            if (ImageDecoder.Extensions.Contains(Path.GetExtension(name)))
            {
                images.Add(name);
            }
            else if (IsLabelsFileName(name))
            {
                labels.Add(file);
            }
        }
        folders.Add((dir, images));
        if (depth == MaxDepth)
        {
            return;
        }
        foreach (var sub in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
        {
            if (!IsLitter(Path.GetFileName(sub)) && new DirectoryInfo(sub).LinkTarget is null)
            {
                Walk(sub, depth + 1, folders, labels);
            }
        }
    }
}

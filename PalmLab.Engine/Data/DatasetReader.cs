using System.Globalization;
using CsvHelper;

namespace PalmLab.Engine.Data;

/// <summary>
/// Reads the iChallenge-PM layout: a training folder labelled by file name and a validation folder labelled by labels.csv
/// or the official labels workbook.
/// Every problem found is reported at once, naming each offending file.
/// </summary>
public static class DatasetReader
{
    /// <summary>The header of the official labels file.</summary>
    public const string LabelsHeader = "ID,imgName,Label,Fovea_X,Fovea_Y";

    /// <summary>The name of the official validation labels workbook, in PALM-Validation-GT/.</summary>

    private const int MaxNamesInMessage = 20;

    /// <summary>1 for P* (pathologic myopia), 0 for N* (normal) and H* (high myopia), null for anything else.</summary>
    public static int? LabelFromFileName(string fileName) => char.ToUpperInvariant(Path.GetFileName(fileName).FirstOrDefault()) switch
    {
        'P' => 1,
        'N' or 'H' => 0,
        _ => null,
    };

    /// <summary>
    /// Why training images of these class counts cannot be trained on (all of one class: the loss has nothing to separate
    /// and validation AUC is undefined), or null when both classes are there.
    /// </summary>
    public static string? OneClassProblem(int pathologic, int normalOrHighMyopia) => pathologic > 0 && normalOrHighMyopia > 0
        ? null
        : $"the training images are all of one class: {pathologic} pathologic, {normalOrHighMyopia} normal or high myopia; training needs both.";

    /// <summary>Reads a training folder whose labels come from the file names.</summary>
    public static ImageList ReadTrainingFolder(string folder)
    {
        var (files, notes) = ListImages(folder);
        var unnamed = files.Where(f => LabelFromFileName(f) is null).ToList();
        if (unnamed.Count > 0)
        {
            throw new PalmLabException(
                $"{unnamed.Count} image(s) in {folder} have names that say no class (expected N*, H* or P*, as in N0001.jpg): {NameList(unnamed.Select(Path.GetFileName).ToList()!)}.");
        }
        return new ImageList(files.Select(f => new LabeledImage(f, LabelFromFileName(f)!.Value)).ToList(), notes);
    }

    /// <summary>
    /// Reads a validation folder whose labels come from a CSV or .xlsx file (<see cref="LabelsHeader"/>; imgName and Label
    /// are required). Without <paramref name="labelsPath"/>, looks for labels.csv in the folder, then for labels.csv and
    /// <see cref="OfficialLayout.XlsxLabelsName"/> in a sibling PALM-Validation-GT folder.
    /// </summary>
    public static ImageList ReadValidationFolder(string folder, string? labelsPath = null)
    {
        var (files, notes) = ListImages(folder);
        labelsPath ??= FindLabels(folder);
        var labels = ReadLabels(labelsPath);
        var sameName = files.GroupBy(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();
        if (sameName.Count > 0)
        {
            throw new PalmLabException(
                $"{folder} holds images whose names differ only in case, so labels cannot tell them apart: {NameList(sameName.Select(g => string.Join(" and ", g.Select(Path.GetFileName))).ToList())}.");
        }
        var byName = files.ToDictionary(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase);

        var problems = new List<string>();
        var missing = labels.Keys.Where(n => !byName.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"{missing.Count} image(s) listed in {labelsPath} are not in {folder}: {NameList(missing)}");
        }
        var unlabelled = byName.Keys.Where(n => !labels.ContainsKey(n)).ToList();
        if (unlabelled.Count > 0)
        {
            problems.Add($"{unlabelled.Count} image(s) in {folder} have no label in {labelsPath}: {NameList(unlabelled)}");
        }
        if (problems.Count > 0)
        {
            throw new PalmLabException(string.Join(". ", problems) + ".");
        }
        var images = files.Select(f => new LabeledImage(f, labels[Path.GetFileName(f)])).ToList();
        return new ImageList(images, notes);
    }

    /// <summary>
    /// Reads image name to label (0 or 1) from labels.csv or the official PM_Label_and_Fovea_Location.xlsx; both are
    /// checked alike (imgName and Label columns, labels 0 or 1, no name twice) and every bad row is reported at once.
    /// A CSV file may be separated by ',', ';' or tabs (as Excel saves it in any locale; told by its header line), with or
    /// without a byte order mark and with LF or CRLF line endings; with ';' or tabs, a label may have a decimal comma.
    /// </summary>
    public static IReadOnlyDictionary<string, int> ReadLabels(string labelsPath)
    {
        if (!File.Exists(labelsPath))
        {
            throw new PalmLabException($"Labels file {labelsPath} does not exist.");
        }
        return Path.GetExtension(labelsPath).ToLowerInvariant() switch
        {
            ".csv" => ReadCsvLabels(labelsPath),
            ".xlsx" => CheckLabels(labelsPath, LabelsXlsx.Read(labelsPath), "row"),
            _ => throw new PalmLabException($"{labelsPath}: labels are read from a .csv or .xlsx file with the header {LabelsHeader}."),
        };
    }

    /// <summary>Lists the image files directly inside a folder, sorted by name; other files are noted, hidden ones ignored.</summary>
    public static (List<string> Files, List<string> Notes) ListImages(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new PalmLabException($"Folder {folder} does not exist.");
        }
        var files = new List<string>();
        var notes = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.'))
            {
                continue;
            }
            if (ImageDecoder.Extensions.Contains(Path.GetExtension(name)))
            {
                files.Add(path);
            }
            else
            {
                notes.Add($"skipped {path}: not an image file");
            }
        }
        if (files.Count == 0)
        {
            throw new PalmLabException(
                $"No images in {folder} (looked for {string.Join(" ", ImageDecoder.Extensions)} files directly inside it).");
        }
        return (files, notes);
    }

    /// <summary>Formats up to 20 names for a message, with a count of the rest.</summary>
    public static string NameList(IReadOnlyCollection<string> names, string separator = ", ")
    {
        var shown = string.Join(separator, names.Take(MaxNamesInMessage));
        return names.Count > MaxNamesInMessage ? $"{shown}{separator}and {names.Count - MaxNamesInMessage} more" : shown;
    }

    private static string FindLabels(string folder)
    {
        var full = Path.GetFullPath(folder);
        var groundTruth = Path.Combine(Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar)) ?? full, OfficialLayout.GroundTruthFolder);
        string[] candidates = [Path.Combine(full, OfficialLayout.CsvLabelsName), Path.Combine(groundTruth, OfficialLayout.CsvLabelsName), Path.Combine(groundTruth, OfficialLayout.XlsxLabelsName)];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new PalmLabException(
                $"No labels for {folder}: put labels.csv ({LabelsHeader}) in it or in ../PALM-Validation-GT/ (or {OfficialLayout.XlsxLabelsName} there), or pass --labels FILE.");
    }

    private static Dictionary<string, int> ReadCsvLabels(string labelsPath)
    {
        var (separator, hintLine) = DetectSeparator(labelsPath);
        // Where ';' or a tab separates the fields, ',' is the decimal separator: a label may read "1,0".
        return CheckLabels(labelsPath, ReadCsvTable(labelsPath, hintLine ? null : separator), "line", decimalComma: separator != ',');
    }

    // A null separator leaves it to CsvHelper, which reads it from Excel's "sep=;" first line and skips that line.
    private static LabelsTable ReadCsvTable(string labelsPath, char? separator)
    {
        var options = CsvReaderOptions.Default with { Separator = separator, DetectSeparatorHint = separator is null, TrimWhitespace = true, MaxRecordSize = 64 * 1024, TrackLineNumbers = true };
        try
        {
            using var csv = CsvReader.FromFile(labelsPath, options);
            var header = csv.Headers.ToList();
            var rows = new List<LabelsTableRow>();
            while (csv.Read())
            {
                rows.Add(new LabelsTableRow(csv.LineNumber, Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i)).ToList()));
            }
            return new LabelsTable(header, rows);
        }
        catch (CsvFormatException e)
        {
            throw new PalmLabException($"{labelsPath} is not a readable CSV file ({e.Message}).", e);
        }
    }

    // Excel writes CSV with the list separator of the user's locale: ';' where the decimal separator is ','
    // (most of Europe), and a tab for "Unicode text". The header names hold none of these, so the separator
    // the header uses most, outside quotes, is the file's, unless the file starts with Excel's "sep=;" line.
    private static (char Separator, bool HintLine) DetectSeparator(string labelsPath)
    {
        string header;
        try
        {
            using var reader = new StreamReader(labelsPath, detectEncodingFromByteOrderMarks: true);
            header = reader.ReadLine() ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"{labelsPath} cannot be read ({e.Message}).", e);
        }
        if (header.Length == 5 && header.StartsWith("sep=", StringComparison.OrdinalIgnoreCase))
        {
            return (header[4], true);
        }
        var counts = new Dictionary<char, int> { [','] = 0, [';'] = 0, ['\t'] = 0 };
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && counts.ContainsKey(c))
            {
                counts[c]++;
            }
        }
        var (best, count) = counts.MaxBy(kv => kv.Value);
        return (count > counts[','] ? best : ',', false);
    }

    private static Dictionary<string, int> CheckLabels(string labelsPath, LabelsTable table, string rowWord, bool decimalComma = false)
    {
        var header = table.Header.Select(h => h.Trim()).ToList();
        var absent = new[] { "imgName", "Label" }.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        if (absent.Count > 0)
        {
            throw new PalmLabException(
                $"{labelsPath} lacks the column(s) {string.Join(", ", absent)}: expected the header {LabelsHeader} (found '{string.Join(",", header)}').");
        }
        var nameColumn = header.FindIndex(h => h.Equals("imgName", StringComparison.OrdinalIgnoreCase));
        var labelColumn = header.FindIndex(h => h.Equals("Label", StringComparison.OrdinalIgnoreCase));

        var labels = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var bad = new List<string>();
        foreach (var row in table.Rows)
        {
            var name = row.Cell(nameColumn).Trim();
            var text = row.Cell(labelColumn).Trim();
            if (name.Length == 0)
            {
                bad.Add($"{rowWord} {row.Number}: no imgName");
            }
            else if (ParseLabel(decimalComma ? text.Replace(',', '.') : text) is not { } label)
            {
                bad.Add($"{rowWord} {row.Number} ({name}): label '{text}' is not 0 or 1");
            }
            else if (!labels.TryAdd(name, label))
            {
                bad.Add($"{rowWord} {row.Number}: {name} is listed twice");
            }
        }
        if (bad.Count > 0)
        {
            throw new PalmLabException($"{labelsPath} has {bad.Count} bad row(s): {NameList(bad, "; ")}.");
        }
        return labels;
    }

    // Spreadsheets may store the label as the number 1 or 1.0.
    private static int? ParseLabel(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is 0 or 1 ? (int)value : null;
}

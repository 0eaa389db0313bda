using System.Globalization;
using System.IO.Compression;
using PalmLab.Engine.Data;

namespace PalmLab.Engine.DataSets;

/// <summary>
/// Imports the official iChallenge-PM zips (training.zip, validation.zip, valid_gt.zip, in any order and nesting) and/or
/// folders into <c>root/name</c>, laid out as <c>PALM-Training400/</c>, <c>PALM-Validation400/</c> and <c>PALM-Validation-GT/</c>
/// with a <c>dataset.json</c>. All work happens in a hidden folder under the root that is renamed into place only at the end,
/// so a failed or cancelled import leaves nothing behind, and a data set is never seen half made.
/// </summary>
public static class DataSetImporter
{

    private const string WorkPrefix = ".importing-";
    private const string ExtractFolder = ".extract";

    private sealed record Entry(string Source, string Name, long Length, bool IsFolder, Func<Stream> Open, bool IsLink = false);

    // What was unpacked, and the entries left out on purpose, as problems for the data set's report.
    private sealed record Extraction(List<string> Skipped, List<DataSetProblem> LeftOut);

    /// <summary>
    /// Imports <paramref name="sources"/> (.zip files or folders) as the data set <paramref name="name"/> under
    /// <paramref name="dataSetsRoot"/>. <paramref name="sourceNames"/>, one per source, are how messages and the report
    /// name them (an upload's name rather than where it was stored); by default their file names.
    /// </summary>
    /// <exception cref="PalmLabException">
    /// A bad name or source, a name already taken, an entry that would land outside the data set, a bound of
    /// <paramref name="options"/> passed, no training folder, or no usable training image. Nothing is left behind.
    /// </exception>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is left behind.</exception>
    public static ImportResult Import(
        IEnumerable<string> sources, string dataSetsRoot, string name, ImportOptions? options = null,
        IProgress<DataSetProgress>? progress = null, CancellationToken cancellationToken = default, IReadOnlyList<string>? sourceNames = null)
    {
        options ??= new ImportOptions();
        EnsureValidName(name);
        var sourceList = sources.Select(Path.GetFullPath).ToList();
        EnsureUsableSources(sourceList);
        var root = Path.GetFullPath(dataSetsRoot);
        var target = Path.Combine(root, name);
        if (Path.Exists(target))
        {
            throw new PalmLabException($"{target} already exists: choose another name or remove it.");
        }
        Directory.CreateDirectory(root);
        var work = Path.Combine(root, WorkPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var extract = Path.Combine(work, ExtractFolder);
            var names = sourceNames is { } given && given.Count == sourceList.Count ? given : sourceList.Select(s => Path.GetFileName(s)).ToList();
            var shownAs = string.Join(", ", names);
            var (skipped, leftOut) = Extract(sourceList, names, extract, options, progress, cancellationToken);
            var layout = Arrange(work, extract, shownAs, skipped);
            var report = DataSetReportBuilder.Build(layout, shownAs, progress, cancellationToken);
            report = report with { Problems = [.. report.Problems, .. leftOut] };
            var manifest = DataSetManifest.For(name, sourceList, layout, report);
            DataSetCatalog.WriteManifest(work, manifest);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Directory.Move(work, target);
            }
            catch (IOException e) when (Path.Exists(target))
            {
                throw new PalmLabException($"{target} already exists: another import took the name meanwhile.", e);
            }
            return new ImportResult(target, manifest, skipped);
        }
        catch (Exception e)
        {
            Delete(work);
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new PalmLabException($"Importing into {target} failed: {e.Message}", e);
            }
            throw;
        }
    }

    private static void EnsureUsableSources(IReadOnlyList<string> sources)
    {
        if (sources.Count == 0)
        {
            throw new PalmLabException("Nothing to import: give the official zips (training.zip, validation.zip, valid_gt.zip) or folders.");
        }
        foreach (var source in sources)
        {
            if (!Directory.Exists(source) && !File.Exists(source))
            {
                throw new PalmLabException($"{source} does not exist.");
            }
            if (File.Exists(source) && !source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                throw new PalmLabException($"{source} is neither a .zip file nor a folder.");
            }
        }
    }

    /// <summary>A usable data set name made from a source's file or folder name ("training.zip" gives "training").</summary>
    public static string DefaultName(string source)
    {
        var file = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(source)));
        var stem = file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? file[..^4] : file;
        var name = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).TrimStart('.');
        return name.Length == 0 ? "dataset" : name[..Math.Min(name.Length, 100)];
    }

    /// <summary>Refuses a name that is not 1 to 100 ASCII letters, digits, '-', '_' or '.', or that starts with '.'.</summary>
    /// <exception cref="PalmLabException">The name is not usable; the message says why.</exception>
    public static void EnsureValidName(string name)
    {
        if (name.Length is 0 or > 100 || name[0] == '.' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new PalmLabException($"'{name}' is not a usable data set name: use 1 to 100 letters, digits, '-', '_' or '.', not starting with '.'.");
        }
    }

    // Every entry is checked (count, path, declared size) before a byte is written; then the bytes actually written are
    // counted, in all and per entry, because an archive's declared sizes may lie.
    private static Extraction Extract(
        IReadOnlyList<string> sources, IReadOnlyList<string> names, string extract, ImportOptions options,
        IProgress<DataSetProgress>? progress, CancellationToken cancellationToken)
    {
        var archives = new List<ZipArchive>();
        try
        {
            var (plan, extraction) = PlanExtraction(sources, names, extract, options, archives, cancellationToken);
            WritePlan(plan, options, extraction.LeftOut, progress, cancellationToken);
            return extraction;
        }
        finally
        {
            foreach (var archive in archives)
            {
                archive.Dispose();
            }
        }
    }

    // The entries to write, each with its target and the name it is shown by, and those skipped or left out; refuses the
    // whole import for too many entries, a duplicate, too many bytes declared, or nothing to import.
    private static (List<(Entry Entry, string Target, string Shown)> Plan, Extraction Extraction) PlanExtraction(
        IReadOnlyList<string> sources, IReadOnlyList<string> names, string extract, ImportOptions options,
        List<ZipArchive> archives, CancellationToken cancellationToken)
    {
        var plan = new List<(Entry Entry, string Target, string Shown)>();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        var leftOut = new List<DataSetProblem>();
        var (count, declared) = (0, 0L);
        var folderNames = SourceFolderNames(names);
        for (var i = 0; i < sources.Count; i++)
        {
            var into = Path.Combine(extract, folderNames[i]);
            foreach (var entry in Entries(sources[i], archives))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (++count > options.MaxEntries)
                {
                    throw new PalmLabException($"{entry.Source}: the sources hold more than {options.MaxEntries} entries in all, more than an import accepts; nothing was imported.");
                }
                var target = TargetOf(entry, into);
                var shown = $"{names[i]}/{entry.Name}";
                if (entry.IsFolder)
                {
                    continue;
                }
                if (entry.IsLink && !IsLitter(entry.Name))
                {
                    // A link to a folder of images is worth naming as much as a link to one image.
                    leftOut.Add(new DataSetProblem(DataSetProblemKind.SymbolicLink,
                        $"{shown}: a symbolic link; links are not followed, so it was not imported (copy what it points at into the folder).", [shown]));
                    continue;
                }
                if (entry.IsLink || !IsWanted(entry.Name))
                {
                    skipped.Add($"{names[i]}: {entry.Name}");
                    continue;
                }
                if (entry.Length > options.MaxEntryBytes)
                {
                    leftOut.Add(TooLarge(shown, options));
                    continue;
                }
                if (!targets.Add(target))
                {
                    throw new PalmLabException($"{entry.Source}: entry '{entry.Name}' appears twice; nothing was imported.");
                }
                declared += entry.Length;
                if (declared > options.MaxBytes)
                {
                    throw new PalmLabException(
                        $"{entry.Source}: with entry '{entry.Name}' the images and labels declare more than {Size(options.MaxBytes)} uncompressed, more than an import accepts; nothing was imported.");
                }
                plan.Add((entry, target, shown));
            }
        }
        if (plan.Count == 0)
        {
            var why = leftOut.Count == 0 ? "" : " that can be imported: " + DatasetReader.NameList(leftOut.Select(p => p.Message).ToList(), " ");
            throw new PalmLabException($"{string.Join(", ", names)} {(names.Count == 1 ? "holds" : "hold")} no images{why}; nothing was imported.");
        }
        return (plan, new Extraction(skipped, leftOut));
    }

    // Writes the planned entries; one that turns out larger than it declared is removed and left out.
    private static void WritePlan(
        List<(Entry Entry, string Target, string Shown)> plan, ImportOptions options, List<DataSetProblem> leftOut,
        IProgress<DataSetProgress>? progress, CancellationToken cancellationToken)
    {
        var written = 0L;
        var buffer = new byte[1 << 16];
        progress?.Report(new DataSetProgress("extract", 0, plan.Count));
        for (var i = 0; i < plan.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (entry, target, shown) = plan[i];
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!Copy(entry, target, options, buffer, ref written, cancellationToken))
            {
                File.Delete(target);
                leftOut.Add(TooLarge(shown, options));
            }
            progress?.Report(new DataSetProgress("extract", i + 1, plan.Count));
        }
    }

    // Writes one entry a buffer at a time; false, with the copy stopped, once it passes the bound of one entry.
    private static bool Copy(Entry entry, string target, ImportOptions options, byte[] buffer, ref long written, CancellationToken cancellationToken)
    {
        try
        {
            using var input = entry.Open();
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
            var entryWritten = 0L;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                entryWritten += read;
                if (entryWritten > options.MaxEntryBytes)
                {
                    return false;
                }
                written += read;
                if (written > options.MaxBytes)
                {
                    throw new PalmLabException(
                        $"{entry.Source}: entry '{entry.Name}' unpacks to more than its archive declares, past {Size(options.MaxBytes)} in all (a zip bomb?); nothing was imported.");
                }
                output.Write(buffer, 0, read);
                cancellationToken.ThrowIfCancellationRequested();
            }
            return true;
        }
        catch (InvalidDataException e)
        {
            throw new PalmLabException($"{entry.Source}: entry '{entry.Name}' is damaged ({e.Message}); nothing was imported.", e);
        }
    }

    private static DataSetProblem TooLarge(string shown, ImportOptions options) => new(DataSetProblemKind.EntryTooLarge,
        $"{shown}: larger than the {Size(options.MaxEntryBytes)} one image or labels file may be, so it was not imported.", [shown]);

    private static IEnumerable<Entry> Entries(string source, List<ZipArchive> archives)
    {
        if (Directory.Exists(source))
        {
            return FolderEntries(source, source);
        }
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(source);
        }
        catch (InvalidDataException e)
        {
            throw new PalmLabException($"{source} is not a readable zip file ({e.Message}).", e);
        }
        archives.Add(archive);
        return archive.Entries.Select(e => new Entry(source, e.FullName, e.Length, e.FullName.EndsWith('/') || e.FullName.EndsWith('\\'), e.Open));
    }

    // Links are not followed: a folder import copies what is in the folder, never what a link points at. A link is
    // still listed, so the report can say which files were left out.
    private static IEnumerable<Entry> FolderEntries(string source, string folder)
    {
        foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(source, info.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (info.LinkTarget is not null)
            {
                yield return new Entry(source, relative, 0, false, () => throw new InvalidOperationException("A link is never opened."), IsLink: true);
            }
            else if (info is DirectoryInfo)
            {
                foreach (var entry in FolderEntries(source, info.FullName))
                {
                    yield return entry;
                }
            }
            else if (info is FileInfo file)
            {
                var path = file.FullName;
                yield return new Entry(source, relative, file.Length, false, () => File.OpenRead(path));
            }
        }
    }

    // Zip-slip: "../x", "/etc/x" and the like would be written outside the data set; the whole import is refused.
    private static string TargetOf(Entry entry, string into)
    {
        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(into, entry.Name.Replace('\\', '/')));
        }
        catch (ArgumentException e)
        {
            throw new PalmLabException($"{entry.Source}: entry '{entry.Name}' has an unusable name; nothing was imported.", e);
        }
        if (!full.StartsWith(into + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new PalmLabException($"{entry.Source}: entry '{entry.Name}' would be written outside the data set folder; the archive is refused and nothing was imported.");
        }
        return full;
    }

    private static List<string> PartsOf(string entryName) =>
        entryName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();

    private static bool IsLitter(string entryName) => PartsOf(entryName) is var parts && (parts.Count == 0 || parts.Any(DataSetLayout.IsLitter));

    private static bool IsWanted(string entryName)
    {
        var parts = PartsOf(entryName);
        if (IsLitter(entryName))
        {
            return false;
        }
        var file = parts[^1];
        return Data.ImageDecoder.Extensions.Contains(Path.GetExtension(file)) || DataSetLayout.IsLabelsFileName(file);
    }

    // Each source unpacks into a folder named after it, so messages about the layout name "training.zip/PALM-Training400".
    private static List<string> SourceFolderNames(IReadOnlyList<string> names)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return names.Select(s =>
        {
            // A name given by a browser is shown, never trusted as a path: no folders, no hidden or empty name.
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(s)).TrimStart('.');
            name = name.Length == 0 ? "source" : name;
            var unique = name;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = $"{name}-{n}";
            }
            return unique;
        }).ToList();
    }

    // Moves the parts found into the standard layout, lists what was unpacked but is not part of it, and removes the rest.
    private static DataSetLayout Arrange(string work, string extract, string shownAs, List<string> skipped)
    {
        var found = DataSetLayout.Find(extract, shownAs);
        var training = Path.Combine(work, OfficialLayout.TrainingFolder);
        var validation = found.ValidationDir is null ? null : Path.Combine(work, OfficialLayout.ValidationFolder);
        var labels = found.LabelsFile is null ? null : Path.Combine(work, OfficialLayout.GroundTruthFolder, Path.GetFileName(found.LabelsFile));
        if (labels is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(labels)!);
            File.Move(found.LabelsFile!, labels);
        }
        // The deeper folder first, in case one part lies inside the other.
        var moves = new[] { (From: found.TrainingDir, To: training), (From: found.ValidationDir, To: validation) };
        foreach (var (from, to) in moves.Where(m => m.From is not null).OrderByDescending(m => m.From!.Length))
        {
            Directory.Move(from!, to!);
        }
        if (Directory.Exists(extract))
        {
            foreach (var file in Directory.EnumerateFiles(extract, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(extract, file).Split(Path.DirectorySeparatorChar, 2);
                skipped.Add($"{relative[0]}: {(relative.Length > 1 ? relative[1].Replace(Path.DirectorySeparatorChar, '/') : "")} (not part of the layout)");
            }
            Directory.Delete(extract, recursive: true);
        }
        return new DataSetLayout(work, training, validation, labels);
    }

    private static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error matters more; a hidden leftover is never taken for a data set.
        }
    }

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB");
}

using System.Security.Cryptography;
using System.Text;
using PalmLab.Engine.Data;

namespace PalmLab.Engine.DataSets;

/// <summary>Builds a <see cref="DataSetReport"/>: one parallel pass reads, hashes and decodes every image once.</summary>
internal static class DataSetReportBuilder
{
    private sealed record CheckedImage(string Relative, bool Training, string? Hash, (int Width, int Height)? Size, string? Error);

    // shownAs names the data set in the error when no training image can be used (an import shows its sources, not its work folder).
    public static DataSetReport Build(DataSetLayout layout, string shownAs, IProgress<DataSetProgress>? progress, CancellationToken cancellationToken)
    {
        var training = DatasetReader.ListImages(layout.TrainingDir).Files;
        var validation = layout.ValidationDir is null ? [] : DatasetReader.ListImages(layout.ValidationDir).Files;
        var files = training.Select(f => (Path: f, Training: true)).Concat(validation.Select(f => (Path: f, Training: false))).ToList();
        var images = Check(layout, files, progress, cancellationToken);

        string NoClass(CheckedImage i) => $"{i.Relative}: the name says no class (expected N*, H* or P*, as in N0001.jpg).";
        var problems = new List<DataSetProblem>();
        problems.AddRange(images.Where(i => i.Error is not null).Select(i => new DataSetProblem(DataSetProblemKind.CorruptImage, i.Error!, [i.Relative])));
        var trainingImages = images.Where(i => i.Training).ToList();
        problems.AddRange(trainingImages.Where(i => DatasetReader.LabelFromFileName(i.Relative) is null)
            .Select(i => new DataSetProblem(DataSetProblemKind.NoClass, NoClass(i), [i.Relative])));
        var usable = trainingImages.Where(i => i.Error is null && DatasetReader.LabelFromFileName(i.Relative) is not null).ToList();
        if (usable.Count == 0)
        {
            var reasons = trainingImages.Select(i => i.Error ?? NoClass(i)).ToList();
            throw new PalmLabException(
                $"{shownAs}: none of the {trainingImages.Count} image(s) in {layout.Relative(layout.TrainingDir)} can be used for training: {DatasetReader.NameList(reasons, " ")}");
        }
        int CountClass(char c) => usable.Count(i => char.ToUpperInvariant(Path.GetFileName(i.Relative)[0]) == c);
        if (DatasetReader.OneClassProblem(CountClass('P'), CountClass('N') + CountClass('H')) is { } oneClass)
        {
            throw new PalmLabException($"{shownAs}: {oneClass}");
        }

        var (positives, negatives) = CheckLabels(layout, images.Where(i => !i.Training).ToList(), problems);
        AddDuplicates(images, problems);

        var sizes = images.Where(i => i.Size is not null).GroupBy(i => i.Size!.Value)
            .Select(g => new ImageSizeCount(g.Key.Width, g.Key.Height, g.Count()))
            .OrderByDescending(s => s.Count).ThenBy(s => s.Width).ThenBy(s => s.Height).ToList();
        return new DataSetReport(
            training.Count, CountClass('N'), CountClass('H'), CountClass('P'), validation.Count, positives, negatives,
            sizes, ContentHash(layout, images), problems);
    }

    private static CheckedImage[] Check(
        DataSetLayout layout, List<(string Path, bool Training)> files, IProgress<DataSetProgress>? progress, CancellationToken cancellationToken)
    {
        var results = new CheckedImage[files.Count];
        var done = 0;
        progress?.Report(new DataSetProgress("check", 0, files.Count));
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            results[i] = CheckOne(layout.Relative(files[i].Path), files[i].Path, files[i].Training);
            var now = Interlocked.Increment(ref done);
            if (now % 25 == 0 || now == files.Count)
            {
                progress?.Report(new DataSetProgress("check", now, files.Count));
            }
        });
        return results;
    }

    // Read as a stream, twice (hash, then decode): a large file is never held whole.
    private static CheckedImage CheckOne(string relative, string path, bool training)
    {
        FileStream stream;
        string hash;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CheckedImage(relative, training, null, null, $"{relative}: cannot be read ({e.Message}).");
        }
        using (stream)
        {
            try
            {
                hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            catch (IOException e)
            {
                return new CheckedImage(relative, training, null, null, $"{relative}: cannot be read ({e.Message}).");
            }
            try
            {
                return new CheckedImage(relative, training, hash, ImageDecoder.Verify(stream, relative), null);
            }
            catch (PalmLabException e)
            {
                return new CheckedImage(relative, training, hash, null, e.Message);
            }
        }
    }

    private static (int Positives, int Negatives) CheckLabels(DataSetLayout layout, List<CheckedImage> validation, List<DataSetProblem> problems)
    {
        if (layout.LabelsFile is null)
        {
            if (validation.Count > 0)
            {
                problems.Add(new DataSetProblem(DataSetProblemKind.NoLabelsFile,
                    $"{layout.Relative(layout.ValidationDir!)}: {validation.Count} validation image(s) but no labels file ({OfficialLayout.CsvLabelsName} or {OfficialLayout.XlsxLabelsName}).", []));
            }
            return (0, 0);
        }
        var labelsName = layout.Relative(layout.LabelsFile);
        IReadOnlyDictionary<string, int> labels;
        try
        {
            labels = DatasetReader.ReadLabels(layout.LabelsFile);
        }
        catch (PalmLabException e)
        {
            // The message names the file by its full path; inside a data set the relative path is the one that lasts.
            problems.Add(new DataSetProblem(DataSetProblemKind.UnreadableLabels, e.Message.Replace(layout.LabelsFile, labelsName), [labelsName]));
            return (0, 0);
        }
        var byName = validation.ToDictionary(i => Path.GetFileName(i.Relative), StringComparer.OrdinalIgnoreCase);
        int positives = 0, negatives = 0;
        foreach (var image in validation)
        {
            if (!labels.TryGetValue(Path.GetFileName(image.Relative), out var label))
            {
                problems.Add(new DataSetProblem(DataSetProblemKind.UnlabelledImage, $"{image.Relative}: no label in {labelsName}.", [image.Relative]));
            }
            else if (image.Error is null && label == 1)
            {
                positives++;
            }
            else if (image.Error is null)
            {
                negatives++;
            }
        }
        foreach (var name in labels.Keys.Where(n => !byName.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            problems.Add(new DataSetProblem(DataSetProblemKind.LabelWithoutImage, $"{labelsName} labels {name}, which is not among the validation images.", [name]));
        }
        return (positives, negatives);
    }

    private static void AddDuplicates(CheckedImage[] images, List<DataSetProblem> problems)
    {
        var groups = images.Where(i => i.Hash is not null).GroupBy(i => i.Hash).Where(g => g.Count() > 1)
            .Select(g => (Training: g.Where(i => i.Training).Select(i => i.Relative).ToList(), Validation: g.Where(i => !i.Training).Select(i => i.Relative).ToList()))
            .ToList();
        foreach (var (training, _) in groups.Where(g => g.Training.Count > 1).OrderBy(g => g.Training[0], StringComparer.Ordinal))
        {
            problems.Add(new DataSetProblem(DataSetProblemKind.DuplicateInTraining, $"{string.Join(", ", training)} are byte-identical training images.", training));
        }
        foreach (var (_, validation) in groups.Where(g => g.Validation.Count > 1).OrderBy(g => g.Validation[0], StringComparer.Ordinal))
        {
            problems.Add(new DataSetProblem(DataSetProblemKind.DuplicateInValidation, $"{string.Join(", ", validation)} are byte-identical validation images.", validation));
        }
        foreach (var (training, validation) in groups.Where(g => g.Training.Count > 0 && g.Validation.Count > 0).OrderBy(g => g.Training[0], StringComparer.Ordinal))
        {
            problems.Add(new DataSetProblem(DataSetProblemKind.DuplicateAcrossTrainingAndValidation,
                $"{string.Join(", ", training)} (training) and {string.Join(", ", validation)} (validation) are byte-identical.", [.. training, .. validation]));
        }
    }

    private static string ContentHash(DataSetLayout layout, CheckedImage[] images)
    {
        var lines = images.Select(i => (i.Relative, Hash: i.Hash ?? "unreadable")).ToList();
        if (layout.LabelsFile is not null)
        {
            lines.Add((layout.Relative(layout.LabelsFile), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(layout.LabelsFile)))));
        }
        var text = string.Concat(lines.OrderBy(l => l.Relative, StringComparer.Ordinal).Select(l => $"{l.Relative}\t{l.Hash}\n"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

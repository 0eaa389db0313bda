using System.Text.Json;
using PalmLab.Engine.Data;
using PalmLab.Engine.DataSets;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Slurm;

namespace PalmLab.Web.Runs;

/// <summary>Between a stored run, a request to queue one, and the engine's <see cref="TrainingConfig"/>.</summary>
public static class RunMapping
{
    public const int MaxNameLength = 200;
    public const int MaxNotesLength = 20_000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;

    /// <summary>The configuration that trains <paramref name="run"/> on <paramref name="dataSet"/>, its backbone found in <paramref name="backbonesDir"/>.</summary>
    public static TrainingConfig ToConfig(Run run, DataSet dataSet, string device, int threads, string? backbonesDir = null) => new()
    {
        TrainDir = dataSet.TrainDir,
        ValidDir = run.Options.Holdout is null && run.Options.Folds is null ? dataSet.ValidDir : null,
        LabelsPath = run.Options.Holdout is null && run.Options.Folds is null ? dataSet.LabelsPath : null,
        Options = run.Options,
        Device = device,
        Threads = threads,
        RunUid = run.Uid,
        BackbonesDir = backbonesDir,
    };

    /// <summary>A new queued run from a request, or the problems with it, one list per field as the API names fields.</summary>
    /// <param name="savedPreset">The options of the saved preset <see cref="RunRequest.Preset"/> names, when it is not a built-in one.</param>
    /// <param name="backbonesDir">Where a pretrained backbone is looked for besides the built-in ones (PalmLab:BackbonesDir).</param>
    public static (Run? Run, Dictionary<string, string[]> Errors) FromRequest(
        RunRequest request, DataSet? dataSet, DateTimeOffset now, TrainingOptions? savedPreset = null, string? backbonesDir = null)
    {
        var overrides = request.Options.Select(o => KeyValuePair.Create(o.Key, (object?)o.Value));
        var (options, optionErrors) = savedPreset is null
            ? TrainingPresets.Resolve(request.Preset, overrides, backbonesDir)
            : TrainingPresets.Override(savedPreset, overrides, backbonesDir: backbonesDir);
        var errors = optionErrors.Select(e => (Field: TrainingOption.JsonNameOf(e.Option), e.Message)).ToList();
        if (dataSet is null)
        {
            errors.Add(("dataSet", request.DataSetId is null && request.DataSet is null ? "choose a data set" : $"no data set {(object?)request.DataSetId ?? request.DataSet}"));
        }
        else
        {
            options = ForDataSet(options, dataSet);
            if (OneClassError(dataSet) is { } oneClass)
            {
                errors.Add(("dataSet", oneClass));
            }
            var trainImages = TrainImages(options, dataSet);
            if (options.BatchSize > trainImages)
            {
                errors.Add(("batchSize", $"{options.BatchSize} is larger than the {trainImages} training images of '{dataSet.Name}'"));
            }
            if (FoldsError(options, dataSet) is { } foldsError)
            {
                errors.Add(("folds", foldsError));
            }
        }
        errors.AddRange(CheckMetadata(request.Name, request.Notes, request.Tags));
        errors.AddRange(SlurmResourceRules.Check(request.Slurm).Select(e => ($"slurm.{e.Field}", e.Message)));
        if (errors.Count > 0)
        {
            return (null, errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }

        var run = new Run
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"ResNet-{options.Depth} {options.ImageSize}px on {dataSet!.Name}" : request.Name.Trim(),
            Status = RunStatus.Queued,
            DataSetId = dataSet!.Id,
            Options = options,
            Notes = request.Notes,
            Tags = NormalizeTags(request.Tags),
            Slurm = request.Slurm ?? new(),
            CreatedAt = now,
        };
        return (run, []);
    }

    /// <summary>
    /// The options a run on <paramref name="dataSet"/> trains with: a data set without a validation folder validates on a
    /// fifth of its training images unless told otherwise.
    /// </summary>
    public static TrainingOptions ForDataSet(TrainingOptions options, DataSet dataSet) =>
        options.Holdout is null && options.Folds is null && dataSet.ValidDir is null ? options with { Holdout = 0.2 } : options;

    /// <summary>How many images a run with <paramref name="options"/> (as <see cref="ForDataSet"/> gives them) trains on per epoch.</summary>
    public static int TrainImages(TrainingOptions options, DataSet dataSet) =>
        options.Holdout is { } h and > 0 and < 1 ? HoldoutSplit.TrainCount(ClassSizes(dataSet), h)
        : options.Folds is { } k and >= 2 ? dataSet.TrainImages - dataSet.TrainImages / k
        : dataSet.TrainImages;

    /// <summary>
    /// Why <paramref name="dataSet"/> cannot be split into the asked folds: each fold must validate on images of every class.
    /// Counted from the data set's report (byte-identical twins, which share a fold, are found when the run starts).
    /// </summary>
    public static string? FoldsError(TrainingOptions options, DataSet dataSet)
    {
        if (options.Folds is not { } k || ClassSizes(dataSet) is not [var negatives, var positives])
        {
            return null;
        }
        var (smallest, name) = positives < negatives ? (positives, "pathologic") : (negatives, "not pathologic");
        return k > smallest
            ? $"{k} folds is more than the {smallest} {name} training images of '{dataSet.Name}' (its smallest class); choose at most {smallest}"
            : null;
    }

    /// <summary>
    /// Why nothing can train on <paramref name="dataSet"/>: its training images are all of one class (a data set registered
    /// before imports refused that). Counted from its report; null when it has none.
    /// </summary>
    public static string? OneClassError(DataSet dataSet) =>
        ClassSizes(dataSet) is [var negatives, var positives] && DatasetReader.OneClassProblem(positives, negatives) is { } problem
            ? $"'{dataSet.Name}': {problem}"
            : null;

    /// <summary>Optimizer steps per epoch of a run with <paramref name="options"/> on <paramref name="dataSet"/> (at least 1).</summary>
    public static int BatchesPerEpoch(TrainingOptions options, DataSet dataSet) =>
        Math.Max(1, Trainer.BatchPlan(TrainImages(options, dataSet), options.BatchSize).Count);

    /// <summary>A queued copy of a run's options, remembering where it came from.</summary>
    public static Run Clone(Run source, DateTimeOffset now) => new()
    {
        Name = Truncate($"{source.Name} (clone)", MaxNameLength),
        Status = RunStatus.Queued,
        DataSetId = source.DataSetId,
        Options = source.Options with { },
        Slurm = source.Slurm.Over(new()),
        Notes = source.Notes,
        Tags = source.Tags,
        ClonedFromId = source.Id,
        CreatedAt = now,
    };

    /// <summary>The limits on a run's name, notes and tags (comma-separated), as (field, message) pairs: lengths and <see cref="UserText"/>'s characters.</summary>
    public static IEnumerable<(string Field, string Message)> CheckMetadata(string? name, string? notes, string? tags)
    {
        if (name is { Length: > MaxNameLength })
        {
            yield return ("name", $"at most {MaxNameLength} characters, not {name.Length}");
        }
        if (notes is { Length: > MaxNotesLength })
        {
            yield return ("notes", FormattableString.Invariant($"at most {MaxNotesLength:N0} characters, not {notes.Length:N0}"));
        }
        if (UserText.Problem(name) is { } nameProblem)
        {
            yield return ("name", nameProblem);
        }
        if (UserText.Problem(notes, multiline: true) is { } notesProblem)
        {
            yield return ("notes", notesProblem);
        }
        if (UserText.Problem(tags) is { } tagsProblem)
        {
            yield return ("tags", tagsProblem);
        }
        var list = SplitTags(tags);
        if (list.Count > MaxTags)
        {
            yield return ("tags", $"at most {MaxTags} tags, not {list.Count}");
        }
        foreach (var tag in list.Where(t => t.Length > MaxTagLength))
        {
            yield return ("tags", $"'{Truncate(tag, 20)}…' is longer than {MaxTagLength} characters");
        }
    }

    /// <summary>Tags trimmed, without empty ones or repeats, comma-separated; null when there are none.</summary>
    public static string? NormalizeTags(string? tags) => SplitTags(tags) is { Count: > 0 } list ? string.Join(",", list) : null;

    private static List<string> SplitTags(string? tags) =>
        (tags ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Negatives (normal and high myopia) and positives (pathologic), as the holdout split and the folds stratify them.</summary>
    public static int[] ClassSizes(DataSet dataSet) =>
        dataSet.ReportJson is not null && JsonSerializer.Deserialize<DataSetReport>(dataSet.ReportJson, DataSetJson.Options) is { } report
            ? [report.Normal + report.HighMyopia, report.Pathologic]
            : [dataSet.TrainImages];

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

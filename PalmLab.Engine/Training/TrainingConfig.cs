using System.Text.Json.Serialization;

namespace PalmLab.Engine.Training;

/// <summary>
/// A training run as the engine takes it: the <see cref="TrainingOptions"/> (what is trained) with the folders it reads
/// and the hardware it runs on (which change where and how fast, never what is learned).
/// </summary>
public sealed record TrainingConfig
{
    public string TrainDir { get; init; } = "";

    /// <summary>Validation images labelled by <see cref="LabelsPath"/>; exclusive with <see cref="TrainingOptions.Holdout"/>.</summary>
    public string? ValidDir { get; init; }

    public string? LabelsPath { get; init; }

    /// <summary>
    /// One fold of a cross-validation (<see cref="CrossValidation"/>): validates on that fold of <see cref="TrainDir"/> and
    /// trains on the others; exclusive with <see cref="ValidDir"/> and <see cref="TrainingOptions.Holdout"/>.
    /// </summary>
    public CrossValidationFold? Fold { get; init; }

    public TrainingOptions Options { get; init; } = new();

    /// <summary>"auto" (CUDA when available), "cpu" or "cuda".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Intra-op threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Folder of decoded image sets (<see cref="Data.ImageCache"/>); null decodes every image on every run.
    /// It changes how fast data loads, never what is trained.
    /// </summary>
    public string? CacheDir { get; init; }

    /// <summary>
    /// Folder of the user's pretrained backbones (<c>NAME.onnx</c>) besides the built-in ones; null offers the built-in
    /// ones only. Like <see cref="CacheDir"/> it is where things are read from, not what is trained: the backbone's name is
    /// in <see cref="TrainingOptions.Backbone"/> and its shape in the checkpoint header. It is kept in the configuration
    /// (a training job and a resumed run need it to find the backbone).
    /// </summary>
    public string? BackbonesDir { get; init; }

    /// <summary>
    /// The identity of the dashboard run this trains (null for a training of its own, such as <c>palmlab train</c>). It is
    /// written into every checkpoint's header, so a checkpoint can be proven to be the run's own; it changes nothing else.
    /// </summary>
    public Guid? RunUid { get; init; }

    /// <summary>
    /// The bound of <see cref="CacheDir"/> in bytes: the least recently used files are removed to stay within it. Not part
    /// of a checkpoint: it says nothing of what was trained.
    /// </summary>
    [JsonIgnore]
    public long CacheMaxBytes { get; init; } = Data.ImageCache.DefaultMaxBytes;

    /// <summary>Every problem with the options and folders; empty when the configuration is usable.</summary>
    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        if (string.IsNullOrWhiteSpace(TrainDir))
        {
            errors.Add(new OptionError(nameof(TrainDir), "a training folder is required"));
        }
        if (ValidDir is not null && Options.Holdout is not null)
        {
            errors.Add(new OptionError(nameof(TrainingOptions.Holdout), "give either a validation folder or a holdout fraction, not both"));
        }
        if (Options.Folds is not null && ValidDir is not null)
        {
            errors.Add(new OptionError(nameof(TrainingOptions.Folds), "cross-validation validates on the training images' own folds: give no validation folder"));
        }
        if (Fold is { } fold && (fold.Folds != Options.Folds || fold.Index < 0 || fold.Index >= fold.Folds))
        {
            errors.Add(new OptionError(nameof(TrainingOptions.Folds), $"fold {fold.Index + 1} of {fold.Folds} does not belong to a {Options.Folds}-fold cross-validation"));
        }
        errors.AddRange(Options.Validate());
        errors.AddRange(BackboneCheck.Errors(Options, BackbonesDir));
        if (Device is not ("auto" or "cpu" or "cuda"))
        {
            errors.Add(new OptionError(nameof(Device), $"'{Device}' is not auto, cpu or cuda"));
        }
        if (Threads is < 0 or > 1024)
        {
            errors.Add(new OptionError(nameof(Threads), $"must be from 0 (one per core) to 1,024, not {Threads}"));
        }
        return errors;
    }

    /// <summary>Throws a <see cref="PalmLabException"/> listing every invalid option by its command-line name.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new PalmLabException("Invalid training options: " + Describe(errors) + ".");
        }
    }

    /// <summary>"batch-size: must be ...; epochs: must be ...", naming each option as the command line does.</summary>
    public static string Describe(IEnumerable<OptionError> errors) =>
        string.Join("; ", errors.Select(e => $"{TrainingOption.CliNameOf(e.Option)}: {e.Message}"));
}

/// <summary>Fold <see cref="Index"/> (0-based) of a <see cref="Folds"/>-fold cross-validation.</summary>
public sealed record CrossValidationFold(int Folds, int Index);

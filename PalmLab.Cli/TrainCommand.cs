using System.CommandLine;
using System.Globalization;
using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary><c>palmlab train</c>: every training option, a line per epoch, a JSON summary at the end.</summary>
internal static class TrainCommand
{
    private static readonly Option<string?> TrainDir = new("--train-dir") { Description = "Training folder (labels from file names: P* = 1, N*/H* = 0)." };
    private static readonly Option<string?> ValidDir = new("--valid-dir") { Description = "Validation folder, labelled by labels.csv or the official .xlsx." };
    private static readonly Option<string?> Labels = new("--labels") { Description = "Validation labels: labels.csv or PM_Label_and_Fovea_Location.xlsx (default: labels.csv in --valid-dir or ../PALM-Validation-GT/, then the .xlsx there)." };
    private static readonly Option<string?> Preset = new("--preset") { Description = $"Start from a preset: {string.Join(", ", TrainingPresets.All.Keys)} (default: reference); the options below override it." };
    private static readonly Option<string?> Device = new("--device") { Description = "auto (CUDA when available), cpu or cuda." };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads (default: one per core)." };
    private static readonly Option<string?> Out = new("--out") { Description = "Folder for checkpoints (last.ckpt, best.ckpt), epochs.csv and summary.json." };
    private static readonly Option<string?> Resume = new("--resume") { Description = "Continue the run saved in this checkpoint (its options, unless given here)." };
    private static readonly Option<string?> Cache = new("--cache") { Description = "Folder for decoded images, so later runs on the same files skip decoding (default: $XDG_CACHE_HOME/palmlab or ~/.cache/palmlab)." };
    private static readonly Option<bool> NoCache = new("--no-cache") { Description = "Decode every image, reading and writing no cache." };

    /// <summary>Where --backbone finds backbones besides the built-in ones, shared by train and sweep.</summary>
    internal static readonly Option<string?> BackbonesDir = new("--backbones-dir")
    {
        Description = "Folder of your own pretrained backbones (NAME.onnx, used as --backbone NAME) besides the built-in ones.",
        HelpName = "FOLDER",
    };

    /// <summary>The bound of the cache folder, shared by train and sweep.</summary>
    internal static readonly Option<long?> CacheMaxMb = new("--cache-max-mb")
    {
        Description = $"Most megabytes (MiB) the cache folder may hold; the least recently used files are removed first (default: ${CacheMaxMbVariable}, else {ImageCache.DefaultMaxBytes >> 20}).",
        HelpName = "N",
    };

    internal const string CacheMaxMbVariable = "PALMLAB_CACHE_MAX_MB";

    private static readonly IReadOnlyList<(TrainingOption Option, Option Cli)> TrainingOptionsCli = TrainingOptionFlags(_ => true);

    // One command-line option per training option, named, typed and described by TrainingOptions itself.
    internal static IReadOnlyList<(TrainingOption Option, Option Cli)> TrainingOptionFlags(Func<TrainingOption, bool> include) => TrainingOption.All
        .Where(include)
        .Select(o => (o, o.Type == typeof(bool)
            ? (Option)new Option<bool?>("--" + o.CliName) { Description = o.Description }
            : new Option<string?>("--" + o.CliName)
            {
                Description = o.Type.IsEnum ? $"{o.Description} One of {o.EnumNames}." : o.Description,
                HelpName = o.Type == typeof(int) ? "N" : o.Type.IsEnum || o.Type == typeof(string) ? "NAME" : "X",
            }))
        .ToList();

    /// <summary>The training options given on the command line, keyed by property name, as typed.</summary>
    internal static IEnumerable<KeyValuePair<string, object?>> GivenOptions(ParseResult p, IReadOnlyList<(TrainingOption Option, Option Cli)> flags) => flags
        .Select(o => KeyValuePair.Create(o.Option.Name, p.GetResult(o.Cli) is null ? null : o.Cli is Option<bool?> flag ? p.GetValue(flag) : (object?)p.GetValue((Option<string?>)o.Cli)))
        .Where(o => o.Value is not null);

    public static Command Create()
    {
        var command = new Command("train", "Train a ResNet on an iChallenge-PM layout.") { TrainDir, ValidDir, Labels, Preset };
        foreach (var (_, cli) in TrainingOptionsCli)
        {
            command.Options.Add(cli);
        }
        foreach (var option in new Option[] { BackbonesDir, Device, Threads, Out, Resume, Cache, NoCache, CacheMaxMb })
        {
            command.Options.Add(option);
        }
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Train(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Train(ParseResult parsed, CancellationToken cancellationToken)
    {
        var resume = parsed.GetValue(Resume);
        var config = Configure(parsed, resume is null ? null : Checkpoint.ReadHeader(resume).Config);
        config = config with
        {
            CacheDir = parsed.GetValue(NoCache) ? null : UsableCacheDir(parsed.GetValue(Cache) ?? DefaultCacheDir(), config),
            CacheMaxBytes = CacheMaxBytes(parsed),
        };
        var output = parsed.GetValue(Out) ?? (resume is not null ? Path.GetDirectoryName(Path.GetFullPath(resume))! : null)
            ?? throw new Engine.PalmLabException("--out FOLDER is required: checkpoints and summary.json are written there.");
        if (config.Options.Folds is { } folds && config.Fold is null)
        {
            if (resume is not null)
            {
                throw new Engine.PalmLabException("--folds: to continue a cross-validation, run the same command again without --resume: finished folds are kept and the unfinished one resumes from its last.ckpt.");
            }
            return CrossValidationCommand.Run(config, output, fold => Hooks(config, CrossValidation.FoldFolder(output, fold), $"fold {fold}/{folds}  "), cancellationToken);
        }

        var result = Trainer.Run(config, output, Hooks(config, output, ""), resume, cancellationToken);
        var cacheState = result.DataCacheHit switch { true => "cache hit", false => "cache miss", null => "no cache" };
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data loading: {result.DataLoadSeconds:F2}s ({cacheState})"));
        var summary = TrainingSummary.From(result);
        var json = CliJson.Serialize(summary);
        File.WriteAllText(Path.Combine(output, "summary.json"), json);
        Console.WriteLine(json);
        return 0;
    }

    // Prints each epoch and adds its row to OUTPUT/epochs.csv as it finishes, so a run that stops early (or is resumed)
    // keeps every finished epoch.
    internal static TrainingHooks Hooks(TrainingConfig config, string output, string prefix)
    {
        var epochsCsv = Path.Combine(output, "epochs.csv");
        var firstEpoch = true;
        return new TrainingHooks(
            Epoch: e =>
            {
                Console.WriteLine(prefix + FormatEpoch(e));
                try
                {
                    EpochCsv.Append(epochsCsv, e, firstEpoch);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    throw new Engine.PalmLabException($"Cannot write {epochsCsv}: {error.Message}", error);
                }
                firstEpoch = false;
            },
            Loading: new InlineProgress<Engine.Data.DataLoadProgress>(p =>
            {
                if (p.Done == p.Total)
                {
                    Console.Error.WriteLine($"{prefix}loaded {p.Total} {p.Part} images at {config.Options.ImageSize}x{config.Options.ImageSize}");
                }
            }));
    }

    // The options given on the command line laid over the preset (or, resuming, over the checkpoint's options), then the
    // folders and hardware; every problem is reported at once, each under its --name.
    private static TrainingConfig Configure(ParseResult p, TrainingConfig? saved)
    {
        var overrides = GivenOptions(p, TrainingOptionsCli);
        var preset = p.GetValue(Preset);
        var backbonesDir = p.GetValue(BackbonesDir) ?? saved?.BackbonesDir;
        var (options, errors) = saved is not null && preset is null
            ? TrainingPresets.Override(saved.Options, overrides, backbonesDir: backbonesDir)
            : TrainingPresets.Resolve(preset, overrides, backbonesDir);
        var config = new TrainingConfig
        {
            TrainDir = p.GetValue(TrainDir) ?? saved?.TrainDir ?? "",
            ValidDir = p.GetValue(ValidDir) ?? saved?.ValidDir,
            LabelsPath = p.GetValue(Labels) ?? saved?.LabelsPath,
            // A resumed fold keeps its fold; a new cross-validation sets each fold when it trains.
            Fold = saved?.Fold,
            Options = options,
            Device = p.GetValue(Device) ?? saved?.Device ?? "auto",
            Threads = p.GetValue(Threads) ?? saved?.Threads ?? 0,
            BackbonesDir = backbonesDir,
        };
        var all = errors.Union(config.Validate()).ToList();
        if (all.Count > 0)
        {
            throw new Engine.PalmLabException(string.Join("; ", all.Select(e => $"--{TrainingOption.CliNameOf(e.Option)}: {e.Message}")));
        }
        return config;
    }

    /// <summary>--cache-max-mb, else $PALMLAB_CACHE_MAX_MB, else the engine's default, in bytes.</summary>
    internal static long CacheMaxBytes(ParseResult parsed)
    {
        var variable = Environment.GetEnvironmentVariable(CacheMaxMbVariable);
        long? fromVariable = string.IsNullOrWhiteSpace(variable) ? null
            : long.TryParse(variable, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) ? mb
            : throw new Engine.PalmLabException($"{CacheMaxMbVariable}={variable} is not a whole number of megabytes.");
        var megabytes = parsed.GetValue(CacheMaxMb) ?? fromVariable;
        return megabytes switch
        {
            null => ImageCache.DefaultMaxBytes,
            < 0 or > (long.MaxValue >> 20) => throw new Engine.PalmLabException($"--cache-max-mb: {megabytes} is not a usable number of megabytes."),
            _ => megabytes.Value << 20,
        };
    }

    internal static string DefaultCacheDir()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "palmlab");
    }

    // The cache only saves time: a folder that cannot be written is reported and training goes on without it.
    // A missing training folder is left for the trainer to report first, as the one-line error.
    internal static string? UsableCacheDir(string folder, TrainingConfig config)
    {
        if (!Directory.Exists(config.TrainDir))
        {
            return folder;
        }
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"note: cache folder {folder} cannot be written ({e.Message}); loading without a cache");
            return null;
        }
    }

    internal static string FormatEpoch(EpochResult e)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {e.Epoch}/{e.Epochs}  loss {e.TrainLoss:F4}  lr {e.LearningRate:F6}  {e.ImagesPerSecond:F1} img/s  {e.Seconds:F1}s");
        if (e.Validation is { } v)
        {
            line += string.Create(CultureInfo.InvariantCulture,
                $"  val_loss {e.ValidationLoss:F4}  acc {v.Accuracy:F4}  auc {Format(v.Auc)}  sens {Format(v.Sensitivity)}  spec {Format(v.Specificity)}  f1 {Format(v.F1)}{(e.IsBest ? "  *best" : "")}");
        }
        return line;
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
}

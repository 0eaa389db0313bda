using System.CommandLine;
using System.Globalization;
using PalmLab.Engine;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary><c>palmlab sweep</c>: runs a sweep file's trials one after another, a line per trial, a ranked table at the end.</summary>
internal static class SweepCommand
{
    private static readonly Option<string> Space = new("--space") { Description = "Sweep file (JSON): the space, or {\"space\": ..., \"base\": ..., \"strategy\": ...}.", Required = true };
    private static readonly Option<string?> TrainDir = new("--train-dir") { Description = "Training folder (labels from file names: P* = 1, N*/H* = 0)." };
    private static readonly Option<string?> ValidDir = new("--valid-dir") { Description = "Validation folder, labelled by labels.csv or the official .xlsx (or give --holdout or --folds)." };
    private static readonly Option<string?> Labels = new("--labels") { Description = "Validation labels file (as for train)." };
    private static readonly Option<string?> Preset = new("--preset") { Description = $"Base preset: {string.Join(", ", TrainingPresets.All.Keys)} (default: the file's, else reference); the options below override the file's base." };
    private static readonly Option<string?> Strategy = new("--strategy") { Description = "grid (every combination) or random (default: the file's, else grid)." };
    private static readonly Option<int?> Trials = new("--trials") { Description = $"Random search: trials to draw (default: the file's, else {SweepSpec.DefaultRandomTrials})." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Random search: seed of the draws (default: the file's, else 0). The trials' training seed is the base option \"seed\" of the file." };
    private static readonly Option<string?> Metric = new("--metric") { Description = "auc or accuracy, maximised on validation, cross-validated with --folds (default: the file's, else auc)." };
    private static readonly Option<int?> Budget = new("--budget") { Description = "Run at most this many trials (default: the file's, else all)." };
    private static readonly Option<string?> Out = new("--out") { Description = "Folder for trial-N/ folders and sweep.json.", Required = true };
    private static readonly Option<string?> Device = new("--device") { Description = "auto (CUDA when available), cpu or cuda." };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads (default: one per core)." };
    private static readonly Option<string?> Cache = new("--cache") { Description = "Folder for decoded images (default: $XDG_CACHE_HOME/palmlab or ~/.cache/palmlab)." };
    private static readonly Option<bool> NoCache = new("--no-cache") { Description = "Decode every image, reading and writing no cache." };

    // Every training option sets the base, except --seed, which seeds random search here.
    private static readonly IReadOnlyList<(TrainingOption Option, Option Cli)> BaseOptions =
        TrainCommand.TrainingOptionFlags(o => o.Name != nameof(TrainingOptions.Seed));

    public static Command Create()
    {
        var command = new Command("sweep", "Run a hyper-parameter sweep (grid or random) headless: each trial in turn, losing trials stopped early, ranked by the metric.")
        {
            Space, TrainDir, ValidDir, Labels, Preset, Strategy, Trials, Seed, Metric, Budget,
        };
        foreach (var (_, cli) in BaseOptions)
        {
            command.Options.Add(cli);
        }
        foreach (var option in new Option[] { Out, TrainCommand.BackbonesDir, Device, Threads, Cache, NoCache, TrainCommand.CacheMaxMb })
        {
            command.Options.Add(option);
        }
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Sweep(parsed, cancellationToken), CancellationToken.None)));
        return command;
    }

    private static int Sweep(ParseResult p, CancellationToken cancellationToken)
    {
        var spec = ReadSpec(p);
        var data = DataConfig(p);
        var output = p.GetValue(Out)!;
        var count = spec.Trials().Count;
        Console.WriteLine($"sweep: {count} trial(s), {spec.Strategy.ToString().ToLowerInvariant()}, maximising validation {spec.MetricName}" +
            (spec.Base.Folds is { } k ? $" ({k}-fold cross-validated mean)" : "") +
            (spec.Stopping is { } s ? $", median stopping from epoch {s.MinEpochs} after {s.MinCompletedTrials} completed trial(s)" : ", no early stopping"));

        var result = SweepRunner.Run(spec, data, output, Hooks(spec, data, output, count), cancellationToken);

        SweepTable.Print(result, data, Path.Combine(output, "best"));
        Console.WriteLine($"sweep written to {Path.Combine(output, SweepJson.FileName)}");
        if (result.Cancelled)
        {
            Console.Error.WriteLine($"cancelled: {result.Trials.Count(t => t.Status != SweepTrialStatus.Cancelled)} of {count} trial(s) finished and are kept");
            return 130;
        }
        if (result.BestTrial is null)
        {
            throw new PalmLabException($"No trial completed with a validation {spec.MetricName}: see the failures above and {Path.Combine(output, SweepJson.FileName)}.");
        }
        return 0;
    }

    // The sweep file with the command line's overrides laid over it; every problem is reported at once.
    private static SweepSpec ReadSpec(ParseResult p)
    {
        var spaceFile = p.GetValue(Space)!;
        string json;
        try
        {
            json = File.ReadAllText(spaceFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PalmLabException($"--space: cannot read {spaceFile}: {e.Message}");
        }
        var (spec, errors) = SweepSpecFile.Parse(json, new SweepOverrides
        {
            Preset = p.GetValue(Preset),
            Base = TrainCommand.GivenOptions(p, BaseOptions).ToList(),
            Strategy = p.GetValue(Strategy),
            Trials = p.GetValue(Trials),
            Seed = p.GetValue(Seed),
            Metric = p.GetValue(Metric),
            Budget = p.GetValue(Budget),
            BackbonesDir = p.GetValue(TrainCommand.BackbonesDir),
        });
        return spec ?? throw new PalmLabException($"--space {spaceFile}: " + string.Join("; ", errors.Select(e => $"{Name(e.Option)}: {e.Message}")));
    }

    // What every trial trains on, and with which hardware and cache; each trial adds its options.
    private static TrainingConfig DataConfig(ParseResult p)
    {
        var data = new TrainingConfig
        {
            TrainDir = p.GetValue(TrainDir) ?? "",
            ValidDir = p.GetValue(ValidDir),
            LabelsPath = p.GetValue(Labels),
            Device = p.GetValue(Device) ?? "auto",
            Threads = p.GetValue(Threads) ?? 0,
            BackbonesDir = p.GetValue(TrainCommand.BackbonesDir),
        };
        if (string.IsNullOrWhiteSpace(data.TrainDir))
        {
            throw new PalmLabException("--train-dir FOLDER is required: the trials train on it.");
        }
        return data with
        {
            CacheDir = p.GetValue(NoCache) ? null : TrainCommand.UsableCacheDir(p.GetValue(Cache) ?? TrainCommand.DefaultCacheDir(), data),
            CacheMaxBytes = TrainCommand.CacheMaxBytes(p),
        };
    }

    // A line per trial as it starts and ends, and train's lines per epoch under the trial's (and fold's) name.
    private static SweepHooks Hooks(SweepSpec spec, TrainingConfig data, string output, int count) => new(
        TrialStarted: t => Console.Error.WriteLine($"trial {t.Number}/{count}  {t.Describe()}: training"),
        TrialEnded: t => Console.WriteLine($"trial {t.Number}/{count}  {t.Describe()}  {spec.MetricName} {SweepTable.Format(t.Metric)}  {SweepTable.Outcome(t)}"),
        Training: (t, fold) =>
        {
            var folder = SweepRunner.TrialFolder(output, t.Number);
            return fold == 0
                ? TrainCommand.Hooks(data with { Options = t.Options }, folder, $"trial {t.Number}/{count}  ")
                : TrainCommand.Hooks(data with { Options = t.Options }, CrossValidation.FoldFolder(folder, fold), $"trial {t.Number}/{count}  fold {fold}/{t.Options.Folds}  ");
        });

    // Errors name options as the sweep file does, with the command-line flag where it differs: "learningRate (--lr)".
    private static string Name(string option) => TrainingOption.Find(option) is { } o
        ? o.JsonName == o.CliName ? o.JsonName : $"{o.JsonName} (--{o.CliName})"
        : TrainingOption.JsonNameOf(option);
}

using System.CommandLine;
using System.Globalization;
using PalmLab.Engine;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary><c>palmlab train</c>: every training option, a line per epoch, a JSON summary at the end.</summary>
internal static class TrainCommand
{
    private static readonly Option<string?> TrainDir = new("--train-dir") { Description = "Training folder (labels from file names: P* = 1, N*/H* = 0)." };
    private static readonly Option<string?> ValidDir = new("--valid-dir") { Description = "Validation folder, labelled by labels.csv or the official .xlsx." };
    private static readonly Option<string?> Labels = new("--labels") { Description = "Validation labels: labels.csv or PM_Label_and_Fovea_Location.xlsx (default: labels.csv in --valid-dir or ../PALM-Validation-GT/, then the .xlsx there)." };
    private static readonly Option<double?> Holdout = new("--holdout") { Description = "Hold out this fraction of --train-dir for validation (stratified, seeded) instead of --valid-dir." };
    private static readonly Option<string?> Preset = new("--preset") { Description = "Start from a preset: reference (default) or quick; other options override it." };
    private static readonly Option<int?> Depth = new("--depth") { Description = "ResNet depth: 18, 34, 50, 101 or 152 (reference: 50)." };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Epochs (reference: 10)." };
    private static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Images per batch (reference: 10)." };
    private static readonly Option<int?> ImageSize = new("--image-size") { Description = "Images are resized to SxS (reference: 224)." };
    private static readonly Option<LrScheduleKind?> Schedule = new("--schedule") { Description = "constant, polynomial (reference), cosine or step." };
    private static readonly Option<double?> Lr = new("--lr") { Description = "Starting learning rate (reference: 0.005)." };
    private static readonly Option<double?> EndLr = new("--end-lr") { Description = "Final learning rate of polynomial/cosine decay (reference: 0.001)." };
    private static readonly Option<double?> Power = new("--power") { Description = "Exponent of polynomial decay (reference: 1)." };
    private static readonly Option<int?> DecaySteps = new("--decay-steps") { Description = "Steps of polynomial/cosine decay (default: the whole run)." };
    private static readonly Option<int?> StepSize = new("--step-size") { Description = "Steps between drops of the step schedule (default: a third of the run)." };
    private static readonly Option<double?> Gamma = new("--gamma") { Description = "Factor at each drop of the step schedule (default 0.1)." };
    private static readonly Option<int?> WarmupSteps = new("--warmup-steps") { Description = "Steps of linear warm-up (default 0)." };
    private static readonly Option<double?> Momentum = new("--momentum") { Description = "SGD momentum (reference: 0.9)." };
    private static readonly Option<double?> WeightDecay = new("--weight-decay") { Description = "SGD weight decay (default 0)." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed for weights, shuffling, augmentation and the holdout split (default 0)." };
    private static readonly Option<double?> Threshold = new("--threshold") { Description = "Probability at which an image is called pathologic (default 0.5)." };
    private static readonly Option<bool?> Flip = new("--flip") { Description = "Augment with random horizontal flips." };
    private static readonly Option<double?> Rotate = new("--rotate") { Description = "Augment with random rotations up to this many degrees." };
    private static readonly Option<string?> Device = new("--device") { Description = "auto (CUDA when available), cpu or cuda." };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads (default: one per core)." };
    private static readonly Option<string?> Out = new("--out") { Description = "Folder for checkpoints (last.ckpt, best.ckpt) and summary.json." };
    private static readonly Option<string?> Resume = new("--resume") { Description = "Continue the run saved in this checkpoint (its options, unless given here)." };
    private static readonly Option<string?> Cache = new("--cache") { Description = "Folder for decoded images, so later runs on the same files skip decoding (default: $XDG_CACHE_HOME/palmlab or ~/.cache/palmlab)." };
    private static readonly Option<bool> NoCache = new("--no-cache") { Description = "Decode every image, reading and writing no cache." };

    public static Command Create()
    {
        var command = new Command("train", "Train a ResNet on an iChallenge-PM layout.")
        {
            TrainDir, ValidDir, Labels, Holdout, Preset, Depth, Epochs, BatchSize, ImageSize, Schedule, Lr, EndLr, Power, DecaySteps,
            StepSize, Gamma, WarmupSteps, Momentum, WeightDecay, Seed, Threshold, Flip, Rotate, Device, Threads, Out, Resume, Cache, NoCache,
        };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => Task.Run(() => Train(parsed, cancellationToken), cancellationToken)));
        return command;
    }

    private static int Train(ParseResult parsed, CancellationToken cancellationToken)
    {
        var resume = parsed.GetValue(Resume);
        var start = resume is not null ? Checkpoint.ReadHeader(resume).Config
            : parsed.GetValue(Preset) is { } preset ? TrainingPresets.Get(preset)
            : TrainingPresets.Reference;
        var config = Apply(parsed, start);
        config = config with { CacheDir = parsed.GetValue(NoCache) ? null : UsableCacheDir(parsed.GetValue(Cache) ?? DefaultCacheDir(), config) };
        var output = parsed.GetValue(Out) ?? (resume is not null ? Path.GetDirectoryName(Path.GetFullPath(resume))! : null)
            ?? throw new Engine.PalmLabException("--out FOLDER is required: checkpoints and summary.json are written there.");

        var hooks = new TrainingHooks(
            Epoch: e => Console.WriteLine(FormatEpoch(e)),
            Loading: new InlineProgress<Engine.Data.DataLoadProgress>(p =>
            {
                if (p.Done == p.Total)
                {
                    Console.Error.WriteLine($"loaded {p.Total} {p.Part} images at {config.ImageSize}x{config.ImageSize}");
                }
            }));
        var result = Trainer.Run(config, output, hooks, resume, cancellationToken);
        var cacheState = result.DataCacheHit switch { true => "cache hit", false => "cache miss", null => "no cache" };
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data loading: {result.DataLoadSeconds:F2}s ({cacheState})"));
        var summary = TrainingSummary.From(result);
        var json = CliJson.Serialize(summary);
        File.WriteAllText(Path.Combine(output, "summary.json"), json);
        Console.WriteLine(json);
        return 0;
    }

    private static TrainingConfig Apply(ParseResult p, TrainingConfig c) => c with
    {
        TrainDir = p.GetValue(TrainDir) ?? c.TrainDir,
        ValidDir = p.GetValue(ValidDir) ?? c.ValidDir,
        LabelsPath = p.GetValue(Labels) ?? c.LabelsPath,
        Holdout = p.GetValue(Holdout) ?? c.Holdout,
        Depth = p.GetValue(Depth) ?? c.Depth,
        Epochs = p.GetValue(Epochs) ?? c.Epochs,
        BatchSize = p.GetValue(BatchSize) ?? c.BatchSize,
        ImageSize = p.GetValue(ImageSize) ?? c.ImageSize,
        Schedule = p.GetValue(Schedule) ?? c.Schedule,
        LearningRate = p.GetValue(Lr) ?? c.LearningRate,
        EndLearningRate = p.GetValue(EndLr) ?? c.EndLearningRate,
        Power = p.GetValue(Power) ?? c.Power,
        DecaySteps = p.GetValue(DecaySteps) ?? c.DecaySteps,
        StepSize = p.GetValue(StepSize) ?? c.StepSize,
        Gamma = p.GetValue(Gamma) ?? c.Gamma,
        WarmupSteps = p.GetValue(WarmupSteps) ?? c.WarmupSteps,
        Momentum = p.GetValue(Momentum) ?? c.Momentum,
        WeightDecay = p.GetValue(WeightDecay) ?? c.WeightDecay,
        Seed = p.GetValue(Seed) ?? c.Seed,
        Threshold = p.GetValue(Threshold) ?? c.Threshold,
        AugmentFlip = p.GetValue(Flip) ?? c.AugmentFlip,
        AugmentRotation = p.GetValue(Rotate) ?? c.AugmentRotation,
        Device = p.GetValue(Device) ?? c.Device,
        Threads = p.GetValue(Threads) ?? c.Threads,
    };

    private static string DefaultCacheDir()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "palmlab");
    }

    // The cache only saves time: a folder that cannot be written is reported and training goes on without it.
    // Bad options are left for the trainer to report first, as the one-line error.
    private static string? UsableCacheDir(string folder, TrainingConfig config)
    {
        if (config.Validate().Count > 0 || !Directory.Exists(config.TrainDir))
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

    private static string FormatEpoch(EpochResult e)
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

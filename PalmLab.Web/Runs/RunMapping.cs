using PalmLab.Engine.Training;
using PalmLab.Web.Data;

namespace PalmLab.Web.Runs;

/// <summary>Between a stored run (typed columns) and the engine's <see cref="TrainingConfig"/>.</summary>
public static class RunMapping
{
    // TrainingConfig.Validate names fields as the command line does; the API and the form use these names.
    private static readonly Dictionary<string, string> FieldNames = new()
    {
        ["train-dir"] = "dataSet",
        ["batch-size"] = "batchSize",
        ["image-size"] = "imageSize",
        ["lr"] = "learningRate",
        ["end-lr"] = "endLearningRate",
        ["decay-steps"] = "decaySteps",
        ["step-size"] = "stepSize",
        ["warmup-steps"] = "warmupSteps",
        ["weight-decay"] = "weightDecay",
        ["rotate"] = "augmentRotation",
    };

    /// <summary>The configuration that trains <paramref name="run"/> on <paramref name="dataSet"/>.</summary>
    public static TrainingConfig ToConfig(Run run, DataSet dataSet, string device, int threads) => Options(run) with
    {
        TrainDir = dataSet.TrainDir,
        ValidDir = run.Holdout is null ? dataSet.ValidDir : null,
        LabelsPath = run.Holdout is null ? dataSet.LabelsPath : null,
        Device = device,
        Threads = threads,
    };

    // The run's training options alone: no folders, default device.
    private static TrainingConfig Options(Run run) => new()
    {
        Holdout = run.Holdout,
        Depth = run.Depth,
        Epochs = run.Epochs,
        BatchSize = run.BatchSize,
        ImageSize = run.ImageSize,
        Schedule = run.Schedule,
        LearningRate = run.LearningRate,
        EndLearningRate = run.EndLearningRate,
        Power = run.Power,
        DecaySteps = run.DecaySteps,
        StepSize = run.StepSize,
        Gamma = run.Gamma,
        WarmupSteps = run.WarmupSteps,
        Momentum = run.Momentum,
        WeightDecay = run.WeightDecay,
        Seed = run.Seed,
        Threshold = run.Threshold,
        AugmentFlip = run.AugmentFlip,
        AugmentRotation = run.AugmentRotation,
    };

    /// <summary>A new queued run from a request, or the problems with it, one list per field.</summary>
    public static (Run? Run, Dictionary<string, string[]> Errors) FromRequest(RunRequest request, DataSet? dataSet, DateTimeOffset now)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        TrainingConfig preset = TrainingPresets.Reference;
        if (request.Preset is not null && !TrainingPresets.All.TryGetValue(request.Preset, out preset!))
        {
            Add("preset", $"'{request.Preset}' is not one of {string.Join(", ", TrainingPresets.All.Keys)}");
            preset = TrainingPresets.Reference;
        }
        if (dataSet is null)
        {
            Add("dataSet", request.DataSetId is null && request.DataSet is null
                ? "choose a data set"
                : $"no data set {(object?)request.DataSetId ?? request.DataSet}");
        }
        var holdout = request.Holdout ?? (dataSet is { ValidDir: null } ? 0.2 : null);
        var config = preset with
        {
            TrainDir = dataSet?.TrainDir ?? "(none)",
            ValidDir = holdout is null ? dataSet?.ValidDir : null,
            Holdout = holdout,
            Depth = request.Depth ?? preset.Depth,
            Epochs = request.Epochs ?? preset.Epochs,
            BatchSize = request.BatchSize ?? preset.BatchSize,
            ImageSize = request.ImageSize ?? preset.ImageSize,
            Schedule = request.Schedule ?? preset.Schedule,
            LearningRate = request.LearningRate ?? preset.LearningRate,
            EndLearningRate = request.EndLearningRate ?? preset.EndLearningRate,
            Power = request.Power ?? preset.Power,
            DecaySteps = request.DecaySteps ?? preset.DecaySteps,
            StepSize = request.StepSize ?? preset.StepSize,
            Gamma = request.Gamma ?? preset.Gamma,
            WarmupSteps = request.WarmupSteps ?? preset.WarmupSteps,
            Momentum = request.Momentum ?? preset.Momentum,
            WeightDecay = request.WeightDecay ?? preset.WeightDecay,
            Seed = request.Seed ?? preset.Seed,
            Threshold = request.Threshold ?? preset.Threshold,
            AugmentFlip = request.AugmentFlip ?? preset.AugmentFlip,
            AugmentRotation = request.AugmentRotation ?? preset.AugmentRotation,
        };
        foreach (var error in config.Validate())
        {
            var colon = error.IndexOf(": ", StringComparison.Ordinal);
            var field = error[..colon];
            Add(FieldNames.GetValueOrDefault(field, field), error[(colon + 2)..]);
        }
        if (dataSet is not null && config.BatchSize > 0 && config.Holdout is null or (> 0 and < 1))
        {
            var trainImages = config.Holdout is { } h ? (int)Math.Round(dataSet.TrainImages * (1 - h)) : dataSet.TrainImages;
            if (config.BatchSize > trainImages)
            {
                Add("batchSize", $"{config.BatchSize} is larger than the {trainImages} training images of '{dataSet.Name}'");
            }
        }
        if (request.Name is { Length: > 200 })
        {
            Add("name", "at most 200 characters");
        }
        if (errors.Count > 0)
        {
            return (null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }

        var run = new Run
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"ResNet-{config.Depth} {config.ImageSize}px on {dataSet!.Name}" : request.Name.Trim(),
            Status = RunStatus.Queued,
            DataSetId = dataSet!.Id,
            Notes = request.Notes,
            Tags = request.Tags,
            CreatedAt = now,
        };
        CopyOptions(config, run);
        return (run, []);
    }

    /// <summary>A queued copy of a run's options, remembering where it came from.</summary>
    public static Run Clone(Run source, DateTimeOffset now)
    {
        var clone = new Run
        {
            Name = $"{source.Name} (clone)",
            Status = RunStatus.Queued,
            DataSetId = source.DataSetId,
            Notes = source.Notes,
            Tags = source.Tags,
            ClonedFromId = source.Id,
            CreatedAt = now,
        };
        CopyOptions(Options(source), clone);
        return clone;
    }

    private static void CopyOptions(TrainingConfig c, Run run)
    {
        run.Holdout = c.Holdout;
        run.Depth = c.Depth;
        run.Epochs = c.Epochs;
        run.BatchSize = c.BatchSize;
        run.ImageSize = c.ImageSize;
        run.Schedule = c.Schedule;
        run.LearningRate = c.LearningRate;
        run.EndLearningRate = c.EndLearningRate;
        run.Power = c.Power;
        run.DecaySteps = c.DecaySteps;
        run.StepSize = c.StepSize;
        run.Gamma = c.Gamma;
        run.WarmupSteps = c.WarmupSteps;
        run.Momentum = c.Momentum;
        run.WeightDecay = c.WeightDecay;
        run.Seed = c.Seed;
        run.Threshold = c.Threshold;
        run.AugmentFlip = c.AugmentFlip;
        run.AugmentRotation = c.AugmentRotation;
    }
}

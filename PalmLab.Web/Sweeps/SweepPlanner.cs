using System.Text.Json;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;
using PalmLab.Web.Data;
using PalmLab.Web.Runs;

namespace PalmLab.Web.Sweeps;

/// <summary>
/// Checks a sweep request as the API and the form both do, and expands it into trials with the engine's
/// <see cref="SweepSpec"/>. Fields are named as the request names them: <c>space.learningRate</c> for a swept option,
/// <c>overrides.epochs</c> for a base option, <c>strategy</c>, <c>trials</c> and so on for the settings.
/// </summary>
public static class SweepPlanner
{
    /// <summary>
    /// Plans <paramref name="request"/> on <paramref name="dataSet"/> from <paramref name="start"/> (the preset's or the
    /// base run's options; null when they could not be found, which <paramref name="startError"/> explains).
    /// </summary>
    public static SweepPlan Plan(
        SweepRequest request, DataSet? dataSet, TrainingOptions? start, (string Field, string Message)? startError, string? backbonesDir = null)
    {
        var errors = new List<(string Field, string Message)>();
        if (startError is { } e)
        {
            errors.Add(e);
        }
        if (dataSet is null)
        {
            errors.Add(("dataSet", request.DataSetId is null && request.DataSet is null ? "choose a data set" : $"no data set {(object?)request.DataSetId ?? request.DataSet}"));
        }
        var overrides = (request.Overrides ?? []).Select(o => KeyValuePair.Create(o.Key, (object?)o.Value)).ToList();
        var (baseOptions, baseErrors) = TrainingPresets.Override(start ?? TrainingPresets.Reference, overrides, backbonesDir: backbonesDir);
        errors.AddRange(baseErrors.Select(b => (Prefixed("overrides", b.Option), b.Message)));

        var space = SweepSpace.Empty;
        var spaceNames = new HashSet<string>();
        if (request.Space is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } spaceJson)
        {
            errors.Add(("space", "give a search space: for each option to vary, a list of values or a range, such as {\"depth\": [18, 34]}"));
        }
        else
        {
            (space, var spaceErrors) = SweepSpace.Parse(spaceJson);
            if (spaceJson.ValueKind == JsonValueKind.Object)
            {
                spaceNames = spaceJson.EnumerateObject().Select(p => TrainingOption.Find(p.Name)?.Name ?? p.Name).ToHashSet();
            }
            errors.AddRange(spaceErrors.Select(s => (Prefixed("space", s.Option), s.Message)));
        }
        var strategy = Choice(request.Strategy, "strategy", SweepStrategy.Grid, errors);
        var metric = Choice(request.Metric, "metric", SweepMetric.Auc, errors);
        var stopping = Stopping(request.MedianStopping, errors);
        if (request.Name is { Length: > RunMapping.MaxNameLength } name)
        {
            errors.Add(("name", $"at most {RunMapping.MaxNameLength} characters, not {name.Length}"));
        }
        if (UserText.Problem(request.Name) is { } nameProblem)
        {
            errors.Add(("name", nameProblem));
        }
        if (errors.Count > 0)
        {
            return Refused(errors);
        }

        var spec = new SweepSpec
        {
            Preset = request.Preset,
            Base = baseOptions,
            Space = space,
            Strategy = strategy,
            Metric = metric,
            RandomTrials = request.Trials ?? SweepSpec.DefaultRandomTrials,
            Seed = request.Seed ?? 0,
            Budget = request.Budget,
            Stopping = stopping,
            BackbonesDir = backbonesDir,
        };
        errors.AddRange(spec.Validate().Select(v => (Field(v.Option, spaceNames), v.Message)));
        if (errors.Count > 0)
        {
            return Refused(errors);
        }
        var trials = spec.Trials();
        errors.AddRange(DataSetErrors(trials, dataSet!, spaceNames));
        return errors.Count > 0 ? Refused(errors) : new SweepPlan(spec, trials, []);
    }

    /// <summary>The options a trial trains with on <paramref name="dataSet"/> (a fifth held out when it has no validation folder).</summary>
    public static TrainingOptions TrialOptions(SweepTrial trial, DataSet dataSet) => RunMapping.ForDataSet(trial.Options, dataSet);

    // What only the data set can refuse: more folds than the smallest class has images, a batch larger than the training images.
    private static IEnumerable<(string, string)> DataSetErrors(IReadOnlyList<SweepTrial> trials, DataSet dataSet, HashSet<string> spaceNames)
    {
        if (RunMapping.OneClassError(dataSet) is { } oneClass)
        {
            yield return ("dataSet", oneClass);
            yield break;
        }
        var sizes = RunMapping.ClassSizes(dataSet);
        var smallest = sizes.Min();
        var smallestName = sizes.Length == 2 ? (sizes[1] <= sizes[0] ? "pathologic" : "non-pathologic") : "";
        var folds = trials.Select(t => t.Options.Folds).OfType<int>().Distinct().Where(k => k > smallest).Order().ToList();
        if (folds.Count > 0)
        {
            yield return (Field(nameof(TrainingOptions.Folds), spaceNames),
                $"{folds[^1]} folds need at least {folds[^1]} images of each class, but '{dataSet.Name}' has {smallest} {smallestName} training images".Replace("  ", " "));
        }
        var tooLarge = trials
            .Select(t => (t.Options.BatchSize, Images: RunMapping.TrainImages(TrialOptions(t, dataSet), dataSet)))
            .Where(t => t.BatchSize > t.Images).OrderBy(t => t.Images).FirstOrDefault();
        if (tooLarge.BatchSize > 0)
        {
            yield return (Field(nameof(TrainingOptions.BatchSize), spaceNames),
                $"{tooLarge.BatchSize} is larger than the {tooLarge.Images} training images of '{dataSet.Name}'");
        }
    }

    private static string Field(string option, HashSet<string> spaceNames) => option switch
    {
        "Space" or "Strategy" or "Trials" or "Seed" or "Metric" or "Budget" or "MedianStopping" => JsonNamingPolicy.CamelCase.ConvertName(option),
        _ => Prefixed(spaceNames.Contains(option) ? "space" : "overrides", option),
    };

    private static string Prefixed(string prefix, string option) =>
        option == "Space" ? "space" : option == "Preset" ? "preset" : $"{prefix}.{TrainingOption.JsonNameOf(option)}";

    private static T Choice<T>(string? text, string field, T fallback, List<(string, string)> errors) where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }
        var name = Enum.GetNames<T>().FirstOrDefault(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (name is null)
        {
            errors.Add((field, $"must be {string.Join(" or ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'"));
            return fallback;
        }
        return Enum.Parse<T>(name);
    }

    private static MedianStopping? Stopping(JsonElement? json, List<(string, string)> errors)
    {
        switch (json?.ValueKind)
        {
            case null or JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.True:
                return new MedianStopping();
            case JsonValueKind.False:
                return null;
            case JsonValueKind.Object:
                var value = json.Value;
                int? Whole(string key)
                {
                    if (!value.TryGetProperty(key, out var v))
                    {
                        return null;
                    }
                    if (v.ValueKind == JsonValueKind.Number && WholeNumber.TryRead(v.GetRawText(), 1, int.MaxValue, out var i, out _))
                    {
                        return (int)i;
                    }
                    errors.Add(("medianStopping", $"{key} must be a whole number, 1 or more, not {v.GetRawText()}"));
                    return null;
                }
                foreach (var key in value.EnumerateObject().Select(p => p.Name).Where(k => k is not ("minEpochs" or "minCompletedTrials")))
                {
                    errors.Add(("medianStopping", $"has '{key}', which is not minEpochs or minCompletedTrials"));
                }
                return new MedianStopping(Whole("minEpochs") ?? MedianStopping.DefaultMinEpochs, Whole("minCompletedTrials") ?? MedianStopping.DefaultMinCompletedTrials);
            default:
                errors.Add(("medianStopping", $"must be {{\"minEpochs\": 2, \"minCompletedTrials\": 2}} or false, not {json.Value.GetRawText()}"));
                return null;
        }
    }

    private static SweepPlan Refused(List<(string Field, string Message)> errors) =>
        new(null, [], errors.Distinct().GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
}

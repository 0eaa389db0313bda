using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Layout;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Components.Pages.NewRun;

/// <summary>
/// The form that queues a run: a preset or a cloned run fills every option, the user edits them, and the same rules the
/// API applies (<see cref="RunMapping.FromRequest"/>) check them as they type. Queues in-process through <see cref="RunService"/>.
/// </summary>
public sealed partial class NewRunPage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private List<DataSetChoice> _choices = [];
    private List<SavedPreset> _saved = [];
    private IReadOnlyList<BackboneChoice> _backbones = [];
    private TrainingOptions _options = TrainingPresets.Reference;
    private TrainingOptions _baseline = TrainingPresets.Reference;
    private string? _preset = "reference";
    private string _baselineName = "the reference recipe";
    private int? _dataSetId;
    private string? _name, _tags, _notes;
    private SlurmResources _slurm = new();
    private Dictionary<string, string[]> _errors = [];
    private string? _notice;
    private bool _loaded, _queueing;
    private (string? From, string? Preset)? _filledFrom;

    [Inject] private DataSetQueries DataSets { get; set; } = null!;
    [Inject] private SweepQueries Presets { get; set; } = null!;
    [Inject] private RunQueries Runs { get; set; } = null!;
    [Inject] private RunService RunService { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private TimeProvider Time { get; set; } = null!;
    [Inject] private IOptions<PalmLabOptions> Settings { get; set; } = null!;

    /// <summary>Clone: the run whose options, data set and tags fill the form (its id as the address has it: see <see cref="QueryValue"/>).</summary>
    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "preset")]
    public string? Preset { get; set; }

    [CascadingParameter(Name = ThemePreference.DarkModeCascade)]
    public bool Dark { get; set; }

    private DataSetChoice? Chosen => _choices.FirstOrDefault(c => c.Id == _dataSetId);

    // What training will use: a data set without a validation folder holds out a fifth unless told otherwise.
    private TrainingOptions TrainedOptions => Chosen is { } c ? RunMapping.ForDataSet(_options, c.DataSet) : _options;

    private int? TrainImages => Chosen is { } c ? RunMapping.TrainImages(TrainedOptions, c.DataSet) : null;

    private string DefaultName => $"ResNet-{_options.Depth} {_options.ImageSize}px on {Chosen?.Name ?? "…"}";

    private List<string> Edited => TrainingOption.All
        .Where(o => !Equals(o.GetValue(_options), o.GetValue(_baseline))).Select(OptionGroups.Label).ToList();

    private string QueueHint => _errors.Count switch
    {
        0 => Settings.Value.Executor == RunExecutors.Slurm ? "Queued runs are submitted to Slurm as batch jobs." : "Queued runs train one after another.",
        1 => $"Correct {FieldLabel(_errors.Keys.Single())} to queue.",
        _ => $"Correct {_errors.Count} fields to queue: {string.Join(", ", _errors.Keys.Select(FieldLabel))}.",
    };

    protected override async Task OnParametersSetAsync()
    {
        if (_filledFrom == (From, Preset))
        {
            return;
        }
        _filledFrom = (From, Preset);
        var ct = _disposed.Token;
        // A new address is a fresh form (the nav link after a clone must not keep the clone's name).
        _choices = (await DataSets.ListAsync(ct)).Select(DataSetChoice.From).ToList();
        _dataSetId = _choices.FirstOrDefault()?.Id;
        _saved = await Presets.SavedPresetsAsync(ct);
        _backbones = BackboneChoice.List(Settings.Value.BackbonesDir);
        (_name, _tags, _notes, _notice, _slurm) = (null, null, null, null, new());
        var from = QueryValue.Int(From, min: 1);
        if (from is null && !string.IsNullOrWhiteSpace(From))
        {
            _notice = $"{QueryValue.Ignored("from", From, "a run id (a whole number, as in ?from=3)")}, so the form starts from the reference recipe.";
            Fill("reference");
        }
        else if (from is { } id)
        {
            var source = await Runs.FindAsync(id, ct);
            if (source is null)
            {
                _notice = $"Run {id} does not exist (it may have been deleted), so the form starts from the reference recipe.";
                Fill("reference");
            }
            else
            {
                FillFromRun(source);
            }
        }
        else if (Preset is not null && !TrainingPresets.All.ContainsKey(Preset) && !_saved.Any(p => p.Name == Preset))
        {
            _notice = $"There is no preset '{Preset}' (the presets are {string.Join(", ", TrainingPresets.All.Keys.Concat(_saved.Select(p => p.Name)))}), so the form starts from the reference recipe.";
            Fill("reference");
        }
        else
        {
            Fill(Preset ?? "reference");
        }
        _loaded = true;
        Validate();
    }

    private void Fill(string preset)
    {
        if (_saved.FirstOrDefault(p => p.Name == preset) is { } saved)
        {
            _preset = saved.Name;
            _options = _baseline = saved.Options;
            _baselineName = $"the saved preset \u201c{saved.Name}\u201d";
            return;
        }
        _preset = PresetPicker.Presets.First(p => p.Key.Equals(preset, StringComparison.OrdinalIgnoreCase)).Key;
        _options = _baseline = TrainingPresets.Get(_preset);
        _baselineName = _preset == "reference" ? "the reference recipe" : $"the {_preset} preset";
    }

    private void FillFromRun(Run source)
    {
        _preset = null;
        _options = _baseline = source.Options with { };
        _baselineName = $"run {source.Id} (\u201c{source.Name}\u201d)";
        _dataSetId = _choices.Any(c => c.Id == source.DataSetId) ? source.DataSetId : _dataSetId;
        var name = $"copy of {source.Name}";
        _name = name.Length > RunMapping.MaxNameLength ? name[..RunMapping.MaxNameLength] : name;
        _tags = source.Tags;
        _notes = source.Notes;
        _slurm = source.Slurm.Over(new());
    }

    private void ChoosePreset(string preset)
    {
        Fill(preset);
        Validate();
    }

    private void Revert()
    {
        _options = _baseline;
        Validate();
    }

    private void SetOptions(TrainingOptions options)
    {
        _options = options;
        Validate();
    }

    private void ChooseDataSet(int id)
    {
        _dataSetId = id;
        Validate();
    }

    private void Edit(Action change)
    {
        change();
        Validate();
    }

    // The API's own rules, applied as the user types: option bounds, the data set, batch size against its images, the metadata limits.
    private void Validate() => _errors = ErrorsOf(BuildRequest());

    private Dictionary<string, string[]> ErrorsOf(RunRequest request) => RunMapping.FromRequest(request, Chosen?.DataSet, Time.GetUtcNow(), backbonesDir: Settings.Value.BackbonesDir).Errors;

    // A field's own check of a value it holds (MudBlazor re-validates a field when it loses focus), by the same rules.
    private string? CheckOptions(TrainingOptions options, string field) =>
        Join(ErrorsOf(NewRunRequest.Build(options, _dataSetId, _name, _notes, _tags)), field);

    private string? CheckMetadata(string field, string? value) => Join(ErrorsOf(NewRunRequest.Build(_options, _dataSetId,
        field == "name" ? value : _name, field == "notes" ? value : _notes, field == "tags" ? value : _tags)), field);

    private static string? Join(Dictionary<string, string[]> errors, string field) =>
        errors.TryGetValue(field, out var messages) ? string.Join("; ", messages) : null;

    private RunRequest BuildRequest() =>
        NewRunRequest.Build(_options, _dataSetId, _name, _notes, _tags) with { Slurm = Settings.Value.Executor == RunExecutors.Slurm ? _slurm : null };

    private async Task QueueAsync()
    {
        _queueing = true;
        try
        {
            var (run, errors) = await RunService.QueueAsync(BuildRequest(), _disposed.Token);
            if (run is null)
            {
                _errors = errors;
                return;
            }
            Navigation.NavigateTo($"/runs/{run.Id}");
        }
        finally
        {
            _queueing = false;
        }
    }

    private string? EmptyText(TrainingOption option) => option.Name switch
    {
        nameof(TrainingOptions.Holdout) => Chosen is { HasValidation: false } ? "auto: 0.2" : "none",
        nameof(TrainingOptions.DecaySteps) => "the whole run",
        nameof(TrainingOptions.StepSize) => "a third of the run",
        _ => null,
    };

    private string? ErrorFor(string field) => Join(_errors, field);

    private static string FieldLabel(string field) => TrainingOption.Find(field) is { } option
        ? OptionGroups.Label(option)
        : field == "dataSet" ? "Data set"
        : field.StartsWith("slurm.", StringComparison.Ordinal) ? $"Slurm {field["slurm.".Length..]}"
        : char.ToUpperInvariant(field[0]) + field[1..];

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}

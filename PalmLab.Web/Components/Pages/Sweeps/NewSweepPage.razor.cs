using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;
using PalmLab.Web.Runs;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Components.Pages.Sweeps;

/// <summary>
/// The form that queues a sweep: a base (a preset, built-in or saved, or a run), a data set, a space (per option of the
/// catalogue: off, a list or a range) and the search settings. Every change is planned by <see cref="SweepService"/>, as
/// the API would, so the trial count and the refusals show as the user types.
/// </summary>
public sealed partial class NewSweepPage : IDisposable
{
    private const string RunPrefix = "run:";
    private readonly CancellationTokenSource _disposed = new();
    private readonly List<SpaceRow> _rows = TrainingOption.All.Select(o => new SpaceRow(o)).ToList();
    private List<(string Key, string Label)> _starts = [];
    private Dictionary<string, TrainingOptions> _startOptions = [];
    private List<DataSet> _dataSets = [];
    private string _start = "reference";
    private TrainingOptions _base = TrainingPresets.Reference;
    private int? _dataSetId;
    private string? _name, _notice;
    private SweepStrategy _strategy = SweepStrategy.Grid;
    private SweepMetric _metric = SweepMetric.Auc;
    private int _trials = SweepSpec.DefaultRandomTrials, _seed, _minEpochs = MedianStopping.DefaultMinEpochs;
    private int? _budget;
    private bool _stopping = true, _loaded, _queueing;
    private SweepPlan? _plan;

    [Inject] private DataSetQueries DataSets { get; set; } = null!;
    [Inject] private SweepQueries SweepQueries { get; set; } = null!;
    [Inject] private RunQueries Runs { get; set; } = null!;
    [Inject] private SweepService Sweeps { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    /// <summary>Start from this run's options and data set ("Sweep from this run"); its id as the address has it (see <see cref="QueryValue"/>).</summary>
    [SupplyParameterFromQuery(Name = "from")]
    public string? From { get; set; }

    [SupplyParameterFromQuery(Name = "preset")]
    public string? Preset { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var ct = _disposed.Token;
        _dataSets = await DataSets.ListAsync(ct);
        _dataSetId = _dataSets.FirstOrDefault()?.Id;
        // Preset names are case-insensitive, as the API takes them (?preset=Quick).
        _startOptions = TrainingPresets.All.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        _starts = TrainingPresets.All.Keys.Select(k => (k, k == "reference" ? "Reference recipe" : $"{char.ToUpperInvariant(k[0])}{k[1..]} preset")).ToList();
        foreach (var saved in await SweepQueries.SavedPresetsAsync(ct))
        {
            _startOptions[saved.Name] = saved.Options;
            _starts.Add((saved.Name, $"Saved preset \u201c{saved.Name}\u201d"));
        }
        var from = QueryValue.Int(From, min: 1);
        if (from is null && !string.IsNullOrWhiteSpace(From))
        {
            _notice = $"{QueryValue.Ignored("from", From, "a run id (a whole number, as in ?from=3)")}, so the sweep starts from the reference recipe.";
        }
        else if (from is { } id)
        {
            var run = await Runs.FindAsync(id, ct);
            if (run is null)
            {
                _notice = $"Run {id} does not exist (it may have been deleted), so the sweep starts from the reference recipe.";
            }
            else
            {
                _startOptions[RunPrefix + id] = run.Options;
                _starts.Insert(0, (RunPrefix + id, $"Run {id}: {run.Name}"));
                _start = RunPrefix + id;
                _dataSetId = run.DataSetId;
            }
        }
        else if (Preset is { } preset)
        {
            if (_startOptions.ContainsKey(preset))
            {
                _start = _starts.First(s => s.Key.Equals(preset, StringComparison.OrdinalIgnoreCase)).Key;
            }
            else
            {
                _notice = $"There is no preset '{preset}' (the presets are {string.Join(", ", _startOptions.Keys)}), so the sweep starts from the reference recipe.";
            }
        }
        _base = _startOptions[_start];
        _loaded = true;
        await ReplanAsync();
    }

    private Task StartChangedAsync(string start) => ChangeAsync(() =>
    {
        _start = start;
        _base = _startOptions[start];
    });

    private Task ChangeAsync(Action change)
    {
        change();
        return ReplanAsync();
    }

    private async Task ReplanAsync() => _plan = await Sweeps.PlanAsync(Request(), _disposed.Token);

    private async Task QueueAsync()
    {
        _queueing = true;
        var (sweep, errors) = await Sweeps.CreateAsync(Request(), _disposed.Token);
        _queueing = false;
        if (sweep is null)
        {
            _plan = new SweepPlan(null, [], errors);
            return;
        }
        Navigation.NavigateTo($"/sweeps/{sweep.Id}");
    }

    /// <summary>The form as POST /api/sweeps would receive it.</summary>
    public SweepRequest Request()
    {
        var grid = _strategy == SweepStrategy.Grid;
        var space = new JsonObject();
        var overrides = new Dictionary<string, JsonElement>();
        foreach (var row in _rows)
        {
            if (row.SpaceJson(grid) is { } values)
            {
                space[row.Option.JsonName] = values;
            }
            else if (row.IsFixed)
            {
                overrides[row.Option.JsonName] = JsonSerializer.SerializeToElement(row.FixedJson);
            }
        }
        var fromRun = _start.StartsWith(RunPrefix, StringComparison.Ordinal);
        return new SweepRequest
        {
            Name = string.IsNullOrWhiteSpace(_name) ? null : _name,
            DataSetId = _dataSetId,
            Preset = fromRun ? null : _start,
            BaseRunId = fromRun ? int.Parse(_start[RunPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture) : null,
            Overrides = overrides,
            Space = JsonSerializer.SerializeToElement(space),
            Strategy = _strategy.ToString(),
            Seed = _seed,
            Trials = _trials,
            Metric = _metric.ToString(),
            Budget = _budget,
            MedianStopping = _stopping ? JsonSerializer.SerializeToElement(new { minEpochs = _minEpochs }) : JsonSerializer.SerializeToElement(false),
        };
    }

    private IReadOnlyList<string> RowErrors(SpaceRow row) =>
        _plan?.Errors.Where(e => e.Key == $"space.{row.Option.JsonName}" || e.Key == $"overrides.{row.Option.JsonName}").SelectMany(e => e.Value).ToList() ?? [];

    private bool Has(params string[] fields) => _plan?.Errors.Keys.Any(fields.Contains) == true;

    private string? Text(params string[] fields) =>
        _plan is null ? null : string.Join("; ", fields.Where(_plan.Errors.ContainsKey).SelectMany(f => _plan.Errors[f]));

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}

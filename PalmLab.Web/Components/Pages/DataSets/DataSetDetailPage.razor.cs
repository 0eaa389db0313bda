using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Engine.DataSets;
using PalmLab.Web.Data;
using PalmLab.Web.DataSets;
using PalmLab.Web.Options;

namespace PalmLab.Web.Components.Pages.DataSets;

/// <summary>One data set: its counts, sizes, hash and source, sample images of each class, its problems by kind, and its runs.</summary>
public sealed partial class DataSetDetailPage : IDisposable
{
    // Enough runs to see what was tried; the runs list filtered by this data set has the rest.
    private const int RunsShown = 10;

    private readonly CancellationTokenSource _disposed = new();
    private DataSet? _dataSet;
    private DataSetListRow? _row;
    private string _source = "";
    private IReadOnlyList<DataSetSampleGrid.ClassSamples> _samples = [];
    private List<DataSetRunsList.RunLine> _runs = [];
    private bool _loaded;

    [Inject] private DataSetQueries DataSets { get; set; } = null!;
    [Inject] private IOptions<PalmLabOptions> Options { get; set; } = null!;

    [Parameter]
    public int Id { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded && _dataSet?.Id == Id)
        {
            return;
        }
        var ct = _disposed.Token;
        var overview = await DataSets.OverviewAsync(Id, RunsShown, ct);
        _dataSet = overview?.DataSet;
        if (overview is not null && _dataSet is not null)
        {
            _runs = overview.RecentRuns.Select(r => new DataSetRunsList.RunLine(r.Id, r.Name, r.Status, r.CreatedAt)).ToList();
            _row = DataSetListRow.From(_dataSet, overview.RunCount);
            var dataSet = _dataSet;
            (_samples, _source) = await Task.Run(() => (Samples(dataSet), Source(dataSet)), ct);
        }
        _loaded = true;
    }

    private static List<DataSetSampleGrid.ClassSamples> Samples(DataSet dataSet) =>
        DataSetSamples.Classes.Select(c => new DataSetSampleGrid.ClassSamples(
            c.Slug, c.Title, DataSetSamples.Files(dataSet, c.Class).Select(Path.GetFileName).OfType<string>().ToList())).ToList();

    // Where the images came from, in the user's terms: uploads and generations went through hidden work folders that are gone.
    private string Source(DataSet dataSet)
    {
        IReadOnlyList<string> sources;
        try
        {
            sources = DataSetCatalog.Read(dataSet.Path).Manifest.Sources;
        }
        catch (PalmLabException)
        {
            return "—";
        }
        var root = Path.GetFullPath(Options.Value.DataSetsDir) + Path.DirectorySeparatorChar;
        string Hidden(string prefix) => root + prefix;
        if (sources.All(s => s.StartsWith(Hidden(DataSetImports.UploadPrefix), StringComparison.Ordinal)))
        {
            return sources.Count == 1 ? "Uploaded zip" : $"Uploaded zips ({sources.Count})";
        }
        if (sources.All(s => s.StartsWith(Hidden(DataSetImports.GeneratePrefix), StringComparison.Ordinal)))
        {
            return "Generated (synthetic)";
        }
        if (sources.Count == 1 && Path.TrimEndingDirectorySeparator(sources[0]) == Path.TrimEndingDirectorySeparator(dataSet.Path))
        {
            return "Registered in place";
        }
        return string.Join(", ", sources);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}

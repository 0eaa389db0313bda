using Microsoft.AspNetCore.Components;
using PalmLab.Web.DataSets;

namespace PalmLab.Web.Components.Pages.DataSets;

/// <summary>
/// The registered data sets with their class counts and problems, and the three ways to add one (upload, server folder,
/// synthetic), each opened by its address (<c>/datasets?add=upload</c>) so a reload or a shared link restores it.
/// </summary>
public sealed partial class DataSetsPage : IDisposable
{
    public const string UploadAction = "upload";
    public const string FolderAction = "folder";
    public const string GenerateAction = "generate";

    private readonly CancellationTokenSource _disposed = new();
    private List<DataSetListRow> _rows = [];
    private bool _loaded;

    [Inject] private DataSetQueries DataSets { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    /// <summary>Which way of adding a data set is open: upload, folder or generate.</summary>
    [SupplyParameterFromQuery(Name = "add")]
    public string? Add { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var ct = _disposed.Token;
        var rows = await DataSets.ListWithRunCountsAsync(ct);
        _rows = rows.Select(r => DataSetListRow.From(r.DataSet, r.Runs)).ToList();
        _loaded = true;
    }

    private string ActionHref(string action) => Add == action ? "/datasets" : $"/datasets?add={action}";

    private Task CloseAsync()
    {
        Navigation.NavigateTo("/datasets");
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}

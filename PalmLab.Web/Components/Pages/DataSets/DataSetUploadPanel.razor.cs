using Microsoft.AspNetCore.Components.Forms;
using PalmLab.Engine.DataSets;
using PalmLab.Web.DataSets;

namespace PalmLab.Web.Components.Pages.DataSets;

/// <summary>The upload form: files chosen in the browser are streamed to the server by <see cref="DataSetImports"/>, then imported.</summary>
public sealed partial class DataSetUploadPanel
{
    // The three official zips, with room for a second try at one of them.
    private const int MaxFiles = 10;

    private IReadOnlyList<IBrowserFile> _files = [];
    private List<string?> _refusals = [];
    private long[] _fileDone = [];
    private bool _nameEdited;

    private string Name { get; set; } = "";

    private IReadOnlyList<(string Name, long Size)> FileSizes => _files.Select(f => (f.Name, f.Size)).ToList();

    private void FilesChosen(InputFileChangeEventArgs e)
    {
        Error = null;
        if (e.FileCount > MaxFiles)
        {
            _files = [];
            _refusals = [];
            Error = $"{e.FileCount} files chosen: upload at most {MaxFiles} (the official release is three zips).";
            return;
        }
        _files = e.GetMultipleFiles(MaxFiles);
        _refusals = _files.Select(Imports.CheckUpload).ToList();
        if (!_nameEdited && _files.Count > 0)
        {
            Name = DataSetImporter.DefaultName(_files[0].Name);
        }
    }

    private void NameEdited() => _nameEdited = true;

    private Task ImportAsync()
    {
        _fileDone = new long[_files.Count];
        return RunAsync((progress, ct) => Imports.ImportUploadsAsync(_files, Name.Trim(), progress, ct));
    }

    protected override void OnProgress(ImportProgress progress)
    {
        if (progress.Stage == "upload" && progress.File >= 0 && progress.File < _fileDone.Length)
        {
            _fileDone[progress.File] = progress.FileDone;
        }
    }
}

using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using PalmLab.Engine;
using PalmLab.Engine.DataSets;
using PalmLab.Engine.Synthetic;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Runs;

using PalmLab.Web.Components.Shared;

namespace PalmLab.Web.DataSets;

/// <summary>
/// Adds data sets from the dashboard: uploaded zips, a folder on the server, or a synthetic set. Uploads are streamed to a
/// hidden work folder under the data sets root (named by index, never by the browser's file name) and deleted whatever
/// happens; the engine's importer does the rest, so a failed or cancelled import leaves nothing behind. Each finished
/// data set is registered at once and its id returned.
/// </summary>
public sealed class DataSetImports(
    DataSetRegistry registry,
    IDbContextFactory<PalmLabDbContext> dbFactory,
    IOptions<PalmLabOptions> options,
    ILogger<DataSetImports> logger)
{
    /// <summary>Hidden work folders of uploads and generations; start-up removes any left by a killed process.</summary>
    public const string UploadPrefix = ".upload-";
    public const string GeneratePrefix = ".generating-";

    private const int CopyBufferBytes = 1 << 16;

    // The registry reads and writes every row: one sync at a time, or two imports could both add the same folder.
    private readonly SemaphoreSlim _sync = new(1, 1);

    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    private string Root => Path.GetFullPath(options.Value.DataSetsDir);

    /// <summary>Why <paramref name="file"/> cannot be uploaded (not a .zip, past the size limit), or null.</summary>
    public string? CheckUpload(IBrowserFile file) =>
        !file.Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? $"{file.Name} is not a .zip file: upload the official zips (training.zip, validation.zip, valid_gt.zip)."
        : file.Size > MaxUploadBytes ? $"{file.Name} is {ByteText.Format(file.Size)}, more than the {ByteText.Format(MaxUploadBytes)} an upload may be (PalmLab:MaxUploadBytes)."
        : null;

    /// <summary>Why <paramref name="name"/> cannot name a new data set (unusable or taken), or null.</summary>
    public async Task<string?> CheckNameAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            DataSetImporter.EnsureValidName(name);
        }
        catch (PalmLabException e)
        {
            return e.Message;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return Path.Exists(Path.Combine(Root, name)) || await db.DataSets.AnyAsync(d => d.Name == name, cancellationToken)
            ? $"A data set named '{name}' already exists: choose another name."
            : null;
    }

    /// <summary>Uploads <paramref name="files"/> (.zip) and imports them as <paramref name="name"/>; returns the new data set's id.</summary>
    /// <exception cref="PalmLabException">A file or the name refused, an upload broken off, or the importer's refusal; nothing is left behind.</exception>
    public async Task<int> ImportUploadsAsync(
        IReadOnlyList<IBrowserFile> files, string name, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            throw new PalmLabException("Choose the zips to upload first.");
        }
        var refusals = files.Select(CheckUpload).OfType<string>().ToList();
        if (refusals.Count > 0)
        {
            throw new PalmLabException(string.Join(" ", refusals));
        }
        await EnsureNameFreeAsync(name, cancellationToken);
        var area = Path.Combine(Root, UploadPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(area);
        try
        {
            var paths = new List<string>();
            var (done, total) = (0L, files.Sum(f => f.Size));
            for (var i = 0; i < files.Count; i++)
            {
                // The browser's name is shown in messages only; on disk the file is named by its index.
                var path = Path.Combine(area, $"upload-{i + 1}.zip");
                done = await CopyAsync(files[i], path, i, done, total, progress, cancellationToken);
                paths.Add(path);
            }
            try
            {
                return await ImportAsync(paths, name, progress, cancellationToken, files.Select(f => f.Name).ToList());
            }
            catch (PalmLabException e)
            {
                // The importer names its sources by their paths in the work folder: name them as the user did.
                var message = e.Message;
                for (var i = 0; i < paths.Count; i++)
                {
                    message = message.Replace(paths[i], files[i].Name, StringComparison.Ordinal).Replace(Path.GetFileName(paths[i]), files[i].Name, StringComparison.Ordinal);
                }
                throw new PalmLabException(message, e);
            }
        }
        finally
        {
            DeleteQuietly(area);
        }
    }

    /// <summary>Copies the data set in <paramref name="folder"/> (on the server) as <paramref name="name"/>; returns its id.</summary>
    /// <exception cref="PalmLabException">No such folder, one inside the data sets folder, the name refused, or the importer's refusal.</exception>
    public async Task<int> ImportFolderAsync(string folder, string name, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        folder = folder.Trim();
        if (!Path.IsPathFullyQualified(folder))
        {
            throw new PalmLabException("Give the folder's full path on the server, such as /data/palm.");
        }
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(full))
        {
            throw new PalmLabException($"There is no folder {full} on the server.");
        }
        if (IsWithin(full, Root) || IsWithin(Root, full))
        {
            throw new PalmLabException($"{full} is PalmLab's data sets folder or part of it; its data sets are registered already.");
        }
        await EnsureNameFreeAsync(name, cancellationToken);
        // Looked for before anything is copied, so a folder without the layout is refused at once and named as given.
        await Task.Run(() => DataSetLayout.Find(full), cancellationToken);
        return await ImportAsync([full], name, progress, cancellationToken);
    }

    /// <summary>Generates a synthetic data set (<see cref="FundusGenerator"/>) as <paramref name="name"/>; returns its id.</summary>
    /// <exception cref="PalmLabException">Bad options or the name refused; nothing is left behind.</exception>
    public async Task<int> GenerateAsync(
        string name, SyntheticDataOptions generation, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        generation.EnsureValid();
        await EnsureNameFreeAsync(name, cancellationToken);
        // Generated and checked inside a hidden folder, then moved into place whole: no half data set is ever registered.
        var work = Path.Combine(Root, GeneratePrefix + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(work, name);
        try
        {
            await Task.Run(() =>
            {
                FundusGenerator.Generate(generation, folder,
                    new InlineProgress<GenerationProgress>(p => progress?.Report(new ImportProgress("generate", p.Done, p.Total))), cancellationToken);
                DataSetCatalog.Register(folder, Forward(progress), cancellationToken);
            }, cancellationToken);
            var target = Path.Combine(Root, name);
            try
            {
                Directory.Move(folder, target);
            }
            catch (IOException e) when (Path.Exists(target))
            {
                throw new PalmLabException($"A data set named '{name}' was added meanwhile: choose another name.", e);
            }
            logger.LogInformation("Generated synthetic data set {Name} ({Count} images at {Size} px)", name,
                generation.TrainCount + generation.ValidationCount, generation.Width);
            return await RegisterAsync(target);
        }
        finally
        {
            DeleteQuietly(work);
        }
    }

    private async Task<int> ImportAsync(
        List<string> sources, string name, IProgress<ImportProgress>? progress, CancellationToken cancellationToken, IReadOnlyList<string>? sourceNames = null)
    {
        var bounds = new ImportOptions(MaxEntryBytes: options.Value.MaxImageEntryBytes);
        var result = await Task.Run(
            () => DataSetImporter.Import(sources, Root, name, bounds, Forward(progress), cancellationToken, sourceNames), cancellationToken);
        logger.LogInformation("Imported data set {Name} from {Count} source(s); {Skipped} entries skipped", name, sources.Count, result.Skipped.Count);
        return await RegisterAsync(result.Folder);
    }

    // The data set is in place by now: it is registered even when the user has gone, so it never lingers unlisted.
    private async Task<int> RegisterAsync(string folder)
    {
        await _sync.WaitAsync(CancellationToken.None);
        try
        {
            await registry.SyncAsync(CancellationToken.None);
        }
        finally
        {
            _sync.Release();
        }
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var full = Path.GetFullPath(folder);
        return await db.DataSets.Where(d => d.Path == full).Select(d => (int?)d.Id).SingleOrDefaultAsync()
            ?? throw new PalmLabException($"The data set was written to {full} but could not be registered; the log says why.");
    }

    private async Task EnsureNameFreeAsync(string name, CancellationToken cancellationToken)
    {
        if (await CheckNameAsync(name, cancellationToken) is { } problem)
        {
            throw new PalmLabException(problem);
        }
    }

    // Streams one file to disk a buffer at a time, never holding it whole; returns the bytes copied of all files so far.
    private async Task<long> CopyAsync(
        IBrowserFile file, string path, int index, long doneBefore, long total, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var step = Math.Max(256 * 1024, file.Size / 200);
        var (copied, reported) = (0L, 0L);
        try
        {
            await using var input = file.OpenReadStream(MaxUploadBytes, cancellationToken);
            await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, useAsync: true);
            var buffer = new byte[CopyBufferBytes];
            progress?.Report(new ImportProgress("upload", doneBefore, total, index, 0));
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                copied += read;
                if (copied > file.Size)
                {
                    throw new PalmLabException($"{file.Name} sent more bytes than its size ({ByteText.Format(file.Size)}); the upload was refused.");
                }
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                if (copied - reported >= step)
                {
                    reported = copied;
                    progress?.Report(new ImportProgress("upload", doneBefore + copied, total, index, copied));
                }
            }
        }
        catch (Exception e) when (e is IOException or JSException or JSDisconnectedException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(e, "Upload of {File} stopped after {Bytes} bytes", LogText.Of(file.Name), copied);
            throw new PalmLabException($"Uploading {file.Name} stopped after {ByteText.Format(copied)} of {ByteText.Format(file.Size)}; nothing was kept. Try again.", e);
        }
        if (copied != file.Size)
        {
            throw new PalmLabException($"{file.Name} arrived with {ByteText.Format(copied)} of its {ByteText.Format(file.Size)}; nothing was kept. Try again.");
        }
        progress?.Report(new ImportProgress("upload", doneBefore + copied, total, index, copied));
        return doneBefore + copied;
    }

    private static InlineProgress<DataSetProgress> Forward(IProgress<ImportProgress>? progress) =>
        new(p => progress?.Report(new ImportProgress(p.Stage, p.Done, p.Total)));

    private static bool IsWithin(string path, string folder) =>
        path == folder || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The start-up clean-up removes it later; the user's error, if any, matters more.
            logger.LogWarning("Could not remove the work folder {Folder}: {Reason}", folder, e.Message);
        }
    }

    /// <summary>A byte count as people read it: 512 B, 3.4 MB, 2 GB (powers of 1024).</summary>
}

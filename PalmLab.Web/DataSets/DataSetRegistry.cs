using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Engine.DataSets;
using PalmLab.Web.Data;
using PalmLab.Web.Options;

namespace PalmLab.Web.DataSets;

/// <summary>
/// Keeps the DataSets table in step with the data set folders under PalmLab:DataSetsDir: registered folders (with a
/// dataset.json) are recorded with their report; a plain folder holding the iChallenge-PM layout is registered in place.
/// </summary>
public sealed class DataSetRegistry(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    IOptions<PalmLabOptions> options,
    ILogger<DataSetRegistry> logger)
{
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Value.DataSetsDir);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.DataSets.ToDictionaryAsync(d => d.Path, cancellationToken);
        foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            try
            {
                var registered = File.Exists(Path.Combine(folder, DataSetCatalog.ManifestFileName))
                    ? DataSetCatalog.Read(folder)
                    : await Task.Run(() => DataSetCatalog.Register(folder, cancellationToken: cancellationToken), cancellationToken);
                if (!known.TryGetValue(registered.Folder, out var row))
                {
                    // A data set moved to another folder keeps its row (and its runs); a second one of the same name is skipped.
                    row = known.Values.FirstOrDefault(d => d.Name == registered.Name);
                    if (row is not null && Directory.Exists(row.Path))
                    {
                        logger.LogWarning("Skipped {Folder}: a data set named {Name} is already registered at {Other}", folder, registered.Name, row.Path);
                        continue;
                    }
                    if (row is null)
                    {
                        row = new DataSet { Name = registered.Name, Path = registered.Folder, TrainDir = registered.TrainingDir };
                        db.DataSets.Add(row);
                    }
                    known.Remove(row.Path);
                    row.Path = registered.Folder;
                    known[row.Path] = row;
                    logger.LogInformation("Registered data set {Name} ({Folder})", registered.Name, registered.Folder);
                }
                Describe(row, registered);
            }
            catch (Exception e) when (e is PalmLabException or IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("{Folder} is not a usable data set: {Reason}", folder, e.Message);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Describe(DataSet row, RegisteredDataSet registered)
    {
        var report = registered.Manifest.Report;
        row.Name = registered.Name;
        row.TrainDir = registered.TrainingDir;
        row.ValidDir = registered.ValidationDir;
        row.LabelsPath = registered.LabelsFile;
        row.TrainImages = report.Normal + report.HighMyopia + report.Pathologic;
        row.ValidationImages = report.ValidationPositives + report.ValidationNegatives;
        row.ContentHash = report.ContentHash;
        row.ReportJson = JsonSerializer.Serialize(report, DataSetJson.Options);
        row.CreatedAt = registered.Manifest.CreatedUtc;
    }
}

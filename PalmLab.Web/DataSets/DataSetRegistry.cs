using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PalmLab.Engine;
using PalmLab.Engine.Data;
using PalmLab.Web.Data;
using PalmLab.Web.Options;

namespace PalmLab.Web.DataSets;

/// <summary>Keeps the DataSets table in step with the data set folders under PalmLab:DataSetsDir.</summary>
public sealed class DataSetRegistry(
    IDbContextFactory<PalmLabDbContext> dbFactory,
    IOptions<PalmLabOptions> options,
    TimeProvider time,
    ILogger<DataSetRegistry> logger)
{
    /// <summary>Registers every data set folder not yet known (a folder holding PALM-Training400/).</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Value.DataSetsDir);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.DataSets.Select(d => d.Path).ToListAsync(cancellationToken);
        foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !Path.GetFileName(f).StartsWith('.')).Order())
        {
            if (known.Contains(folder))
            {
                continue;
            }
            try
            {
                db.DataSets.Add(Describe(folder));
                logger.LogInformation("Registered data set {Folder}", folder);
            }
            catch (PalmLabException e)
            {
                logger.LogWarning("Skipped {Folder}: {Reason}", folder, e.Message);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private DataSet Describe(string folder)
    {
        var train = Path.Combine(folder, "PALM-Training400");
        var valid = Path.Combine(folder, "PALM-Validation400");
        var trainImages = DatasetReader.ReadTrainingFolder(train).Images.Count;
        var validation = Directory.Exists(valid) ? DatasetReader.ReadValidationFolder(valid) : null;
        return new DataSet
        {
            Name = Path.GetFileName(folder),
            Path = folder,
            TrainDir = train,
            ValidDir = validation is null ? null : valid,
            TrainImages = trainImages,
            ValidationImages = validation?.Images.Count ?? 0,
            CreatedAt = time.GetUtcNow(),
        };
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PalmLab.Tests.Support;
using PalmLab.Web.Data;
using PalmLab.Web.Extensions;
using PalmLab.Web.DataSets;
using PalmLab.Web.Options;

namespace PalmLab.Tests.Web.Components;

/// <summary>The data set pages' services over a migrated SQLite file and a real data sets folder, registered as the app does.</summary>
public abstract class DataSetPagesTestBase : ComponentTestBase
{
    /// <summary>Small enough that a test can pass it with a few bytes more; the test zips are a few KB.</summary>
    protected const long MaxUploadBytes = 256 * 1024;

    protected RunListSeed Seed { get; } = new();

    protected string Root => Path.Combine(Seed.Folder, "datasets");

    protected override void AddServices(IServiceCollection services)
    {
        Directory.CreateDirectory(Root);
        services.AddLogging();
        services.AddSingleton<IDbContextFactory<PalmLabDbContext>>(Seed.Factory);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(5)));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new PalmLabOptions { DataSetsDir = Root, MaxUploadBytes = MaxUploadBytes }));
        services.AddSingleton<DataSetRegistry>();
        services.AddSingleton<DataSetImports>();
        // The read services the pages use, registered as the app registers them.
        services.AddPalmLabQueries();
    }

    /// <summary>Writes a data set folder with <paramref name="write"/>, registers it as start-up does, and returns its row.</summary>
    protected async Task<DataSet> RegisterAsync(string name, Action<string> write)
    {
        write(Path.Combine(Root, name));
        await new DataSetRegistry(Seed.Factory, Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PalmLabOptions>>(), NullLogger<DataSetRegistry>.Instance)
            .SyncAsync(CancellationToken.None);
        await using var db = await Seed.Factory.CreateDbContextAsync();
        return await db.DataSets.AsNoTracking().SingleAsync(d => d.Name == name);
    }

    /// <summary>The official tree (3 N, 1 H, 4 P, 4 labelled validation images): nothing wrong with it.</summary>
    protected Task<DataSet> CleanAsync(string name = "clean") => RegisterAsync(name, folder => TestDataSets.WriteTree(folder));

    /// <summary>Training only, with a corrupt P image, a name of no class and a duplicate: 2 errors and 1 note.</summary>
    protected Task<DataSet> MessyAsync(string name = "messy") => RegisterAsync(name, folder =>
    {
        var training = TestImages.WriteTrainingFolder(Path.Combine(folder, "PALM-Training400"), normal: 5, high: 2, pathologic: 6, size: 32);
        File.WriteAllBytes(Path.Combine(training, "P0099.jpg"), [1, 2, 3, 4]);
        File.Copy(Path.Combine(training, "N0001.jpg"), Path.Combine(training, "X0001.jpg"));
    });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Seed.Dispose();
    }
}

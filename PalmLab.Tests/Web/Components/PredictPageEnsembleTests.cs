using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.Inference;
using PalmLab.Tests.Cli;
using PalmLab.Tests.Support;
using PalmLab.Tests.Web.Predict;
using PalmLab.Web.Components.Pages.Predict;
using PalmLab.Web.Data;
using PalmLab.Web.Options;
using PalmLab.Web.Predictions;

namespace PalmLab.Tests.Web.Components;

[Collection(CheckpointCollection.Name)]
public sealed class PredictPageEnsembleTests(CheckpointFixture checkpoint) : ComponentTestBase
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    // Initialised before the base constructor calls AddServices.
    private readonly RunListSeed _seed = new();
    private readonly TempDir _checkpoints = new();
    private readonly ModelCache<Predictor> _models = new(1, path => Predictor.Load(path, "cpu", 1));

    protected override void AddServices(IServiceCollection services)
    {
        services.AddLogging();
        services.AddSingleton<IDbContextFactory<PalmLabDbContext>>(_seed.Factory);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new PalmLabOptions { CheckpointsDir = _checkpoints.Path, Device = "cpu" }));
        services.AddSingleton(_models);
        services.AddSingleton<PredictionService>();
    }

    [Fact]
    public async Task Page_CrossValidatedRunWithFlipInTheAddress_PredictsWithTheEnsembleAndSaysSo()
    {
        var runId = await AddCrossValidatedRunAsync("cv-run");
        var folds = new[] { 1, 2 }.Select(k => Path.Combine(_checkpoints.Path, $"run-{runId}", $"fold-{k}", "best.ckpt")).ToList();
        var image = TestUploads.Jpeg();
        using var ensemble = Predictor.Load(folds, "cpu");
        var expected = ensemble.Predict(image, "eye.jpg", TestTimeAugmentation.Flip).Probability!.Value;
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/predict?checkpoint={runId}:ensemble&tta=flip");
        var cut = Render<PredictPage>();
        cut.WaitForAssertion(() => Assert.Contains("ensemble of 2 folds", cut.Find(".pr-facts").TextContent));
        Assert.True(cut.Find(".pr-tta input").HasAttribute("checked"), "the flip switch is off");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(image, "eye.jpg", contentType: "image/jpeg"));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".pr-heatmap")), Deadline);
        Assert.Equal(expected.ToString("0.0000", CultureInfo.InvariantCulture), cut.Find(".pr-probability").GetAttribute("data-probability"));
        Assert.Equal("cv-run · ensemble of 2 folds · ResNet-18 · test-time flip", cut.Find(".pr-model-used").TextContent.Trim());
        Assert.Contains("mean over the fold models and the mirrored image", cut.Markup);
    }

    [Fact]
    public async Task Page_FlipSwitch_PredictsAgainAndKeepsItInTheAddress()
    {
        await AddCrossValidatedRunAsync("cv-other");
        var cut = Render<PredictPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".pr-tta input")));

        cut.Find(".pr-tta input").Change(true);

        cut.WaitForAssertion(() => Assert.Contains("tta=flip", Services.GetRequiredService<NavigationManager>().Uri));
    }

    private async Task<int> AddCrossValidatedRunAsync(string name)
    {
        var dataSet = _seed.NewDataSet("tiny");
        var run = RunListSeed.NewRun(dataSet, name, 0, epochs: [(0.9, 0.8)]);
        run.Options = checkpoint.Data.Config.Options with { Epochs = 1, Folds = 2 };
        await _seed.AddAsync(run);
        foreach (var k in new[] { 1, 2 })
        {
            // The run's own, as its worker writes them: the dashboard predicts only with checkpoints of the run's identity.
            RunCheckpointCopies.CopyAsRunsOwn(checkpoint.Checkpoint, Path.Combine(_checkpoints.Sub(Path.Combine($"run-{run.Id}", $"fold-{k}")), "best.ckpt"), run.Uid);
        }
        return run.Id;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _models.Dispose();
            _seed.Dispose();
            _checkpoints.Dispose();
        }
    }
}

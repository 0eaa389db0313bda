using System.Globalization;
using Bunit;
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
public sealed class PredictPageTests(CheckpointFixture checkpoint) : ComponentTestBase
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    // Initialised before the base constructor calls AddServices.
    private readonly RunListSeed _seed = new();
    private readonly ModelCache<Predictor> _models = new(1, path => Predictor.Load(path, "cpu", 1));

    protected override void AddServices(IServiceCollection services)
    {
        services.AddLogging();
        services.AddSingleton<IDbContextFactory<PalmLabDbContext>>(_seed.Factory);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new PalmLabOptions()));
        services.AddSingleton(_models);
        services.AddSingleton<PredictionService>();
    }

    [Fact]
    public void Page_NoCheckpointAnywhere_SaysToTrainARunFirst()
    {
        var cut = Render<PredictPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Train a run first", cut.Markup);
            Assert.Equal("/runs/new", cut.Find("a[href='/runs/new']").GetAttribute("href"));
        });
        Assert.Empty(cut.FindAll("input[type=file]"));
    }

    [Fact]
    public async Task Page_OneImage_ShowsItsProbabilityLabelAndHeatMapBesideTheOriginal()
    {
        await AddRunWithCheckpointAsync("eyes-v1");
        var image = TestUploads.Jpeg();
        using var predictor = Predictor.Load(checkpoint.Checkpoint, "cpu");
        var expected = predictor.Predict(image, "eye.jpg").Probability!.Value;
        var cut = Render<PredictPage>();
        cut.WaitForAssertion(() => Assert.Contains("eyes-v1", cut.Find(".pr-facts").TextContent));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(image, "eye.jpg", contentType: "image/jpeg"));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".pr-heatmap")), Deadline);
        Assert.Equal(expected.ToString("0.0000", CultureInfo.InvariantCulture), cut.Find(".pr-probability").GetAttribute("data-probability"));
        Assert.StartsWith("data:image/png;base64,", cut.Find(".pr-heatmap").GetAttribute("src"));
        Assert.Equal(2, cut.FindAll(".pr-figure").Count);
        Assert.Equal(expected >= 0.5 ? "1" : "0", cut.Find(".pr-label").GetAttribute("data-label"));
        Assert.Equal($"Heat map: evidence for {(expected >= 0.5 ? "pathologic myopia" : "not pathologic")}", cut.Find(".pr-explains").TextContent);
    }

    [Fact]
    public async Task Page_SeveralImages_TableWithPerFileErrorsAndLabelsThatFollowTheThreshold()
    {
        await AddRunWithCheckpointAsync("eyes-v2");
        byte[][] images = [TestUploads.Jpeg(seed: 1), TestUploads.Jpeg(label: 0, seed: 2)];
        using var predictor = Predictor.Load(checkpoint.Checkpoint, "cpu");
        var probabilities = images.Select((b, i) => predictor.Predict(b, $"{i}.jpg").Probability!.Value).ToList();
        List<string> Expected(double threshold) => probabilities.Select(p => p >= threshold ? "1" : "0").ToList();
        var cut = Render<PredictPage>();
        cut.WaitForAssertion(() => Assert.Contains("eyes-v2", cut.Find(".pr-facts").TextContent));

        cut.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(images[0], "a.jpg", contentType: "image/jpeg"),
            InputFileContent.CreateFromBinary(images[1], "b.jpg", contentType: "image/jpeg"),
            InputFileContent.CreateFromBinary(TestUploads.Text(), "notes.jpg", contentType: "image/jpeg"));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".pr-table tbody tr").Count), Deadline);
        Assert.Contains("notes.jpg: not a readable image", cut.Find(".pr-table tbody tr:nth-child(3) .pr-row-error").TextContent);
        Assert.Equal(2, cut.FindAll(".pr-table .pr-thumb").Count);

        cut.Find("input[type=range][aria-label=Threshold]").Input("0.01");
        cut.WaitForAssertion(() => Assert.Equal(Expected(0.01), cut.FindAll(".pr-table .pr-label").Select(l => l.GetAttribute("data-label"))));
        Assert.Contains("threshold=0.01", Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);
        cut.Find("input[type=range][aria-label=Threshold]").Input("0.99");
        cut.WaitForAssertion(() => Assert.Equal(Expected(0.99), cut.FindAll(".pr-table .pr-label").Select(l => l.GetAttribute("data-label"))));
        Assert.Contains("data:text/csv", cut.Find("a[download='predictions.csv']").GetAttribute("href"));
    }

    [Fact]
    public void Detail_HeatMap_SaysAndShowsTheClassOfTheLabelAtTheThreshold()
    {
        var choice = new CheckpointChoice(1, 1, "r", RunStatus.Completed, CheckpointKind.Best, 1, 18, 32, 0.5, 0.9, 0.8, "tiny", "x.pt");
        var cam = new CamImages([1], 10, 10, new ClassCam(1, [11], [12]), new ClassCam(0, [21], [22]));
        var result = new FilePrediction("eye.jpg", 0.005, null, cam);
        static string Url(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

        var cut = Render<PredictionDetail>(p => p.Add(c => c.Result, result).Add(c => c.Checkpoint, choice).Add(c => c.Threshold, 0.5));
        var atHalf = (cut.Find(".pr-explains").TextContent, cut.Find(".pr-heatmap").GetAttribute("src"), cut.Find(".pr-heatmap").GetAttribute("data-explains"));
        cut.Render(p => p.Add(c => c.Threshold, 0.001));

        Assert.Equal(("Heat map: evidence for not pathologic", Url([21]), "0"), atHalf);
        Assert.Equal("Heat map: evidence for pathologic myopia", cut.Find(".pr-explains").TextContent);
        Assert.Equal(Url([11]), cut.Find(".pr-heatmap").GetAttribute("src"));
        Assert.Equal("1", cut.Find(".pr-heatmap").GetAttribute("data-explains"));
    }

    [Fact]
    public void Table_ThresholdParameter_RelabelsWithoutPredictingAgain()
    {
        var choice = new CheckpointChoice(1, 1, "r", RunStatus.Completed, CheckpointKind.Best, 1, 18, 32, 0.5, 0.9, 0.8, "tiny", "x.pt");
        FilePrediction[] results = [new("low.jpg", 0.3, null), new("high.jpg", 0.7, null), new("bad.jpg", null, "bad.jpg: the file is empty.")];

        var cut = Render<PredictionsTable>(p => p.Add(c => c.Results, results).Add(c => c.Checkpoint, choice).Add(c => c.Threshold, 0.5));
        var atHalf = cut.FindAll(".pr-label").Select(l => l.GetAttribute("data-label")).ToList();
        cut.Render(p => p.Add(c => c.Threshold, 0.2));

        Assert.Equal(["0", "1"], atHalf);
        Assert.Equal(["1", "1"], cut.FindAll(".pr-label").Select(l => l.GetAttribute("data-label")));
        Assert.Contains("2 labelled pathologic at 0.20 · 1 could not be read", cut.Markup);
        var csv = PredictionCsv.Write(results, 0.2, choice);
        Assert.Equal("file,probability,label,threshold,checkpoint,run,model,tta,error", csv.Split('\n')[0]);
        Assert.Equal("bad.jpg,,,0.2,1:best,r,\"ResNet-18, 32 px\",none,bad.jpg: the file is empty.", csv.Split('\n')[3]);
    }

    [Fact]
    public void UploadZone_ChoiceOverTheTotalBound_IsRefusedWithoutReadingAFile()
    {
        var chosen = 0;
        var cut = Render<UploadZone>(p => p
            .Add(c => c.MaxFiles, 10)
            .Add(c => c.MaxFileBytes, 1_000)
            .Add(c => c.MaxTotalBytes, 1_500)
            .Add(c => c.FilesChosen, (IReadOnlyList<ImageUpload> _) => chosen++));

        cut.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(new byte[800], "a.jpg", contentType: "image/jpeg"),
            InputFileContent.CreateFromBinary(new byte[800], "b.jpg", contentType: "image/jpeg"));

        cut.WaitForAssertion(() => Assert.Contains("more than the", cut.Markup), Deadline);
        Assert.Equal(0, chosen);
    }

    private async Task AddRunWithCheckpointAsync(string name)
    {
        var dataSet = _seed.NewDataSet("tiny");
        var run = RunListSeed.NewRun(dataSet, name, 0, epochs: [(0.9, 0.8)]);
        run.Options = checkpoint.Data.Config.Options with { Epochs = 1 };
        var path = Path.Combine(_seed.Folder, $"{name}.ckpt");
        RunCheckpointCopies.CopyAsRunsOwn(checkpoint.Checkpoint, path, run.Uid);
        run.Checkpoints = [new RunCheckpoint { Epoch = 1, Kind = CheckpointKind.Best, Path = path, CreatedAt = RunListSeed.Start }];
        await _seed.AddAsync(run);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _models.Dispose();
            _seed.Dispose();
        }
    }
}

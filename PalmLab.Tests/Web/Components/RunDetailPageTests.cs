using Bunit;
using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Components;

public sealed class RunDetailPageTests : RunPagesTestBase
{
    [Fact]
    public void Render_UnknownId_SaysTheRunDoesNotExistWithALinkToTheList()
    {
        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, 42));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Run 42 does not exist", cut.Find(".run-not-found").TextContent);
            Assert.Equal("/", cut.Find(".run-not-found a").GetAttribute("href"));
        });
    }

    [Fact]
    public async Task Render_CompletedRunWithTwoEpochs_ShowsBothRowsAndTheLastEpochsConfusionMatrix()
    {
        var run = await AddRunAsync(RunStatus.Completed);

        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["1", "2"], cut.FindAll("tr.run-epoch").Select(r => r.GetAttribute("data-epoch")));
            // Both epochs improved when they ended; the run's best is the later one.
            Assert.Equal("2", cut.Find("tr.run-epoch-best").GetAttribute("data-epoch"));
            Assert.Single(cut.FindAll("tr.run-epoch-best"));
            Assert.Equal("2", cut.Find(".confusion").GetAttribute("data-epoch"));
            Assert.Equal(["40", "10", "5", "45"], Counts(cut));
            Assert.Contains("80.0%", cut.Find("[data-cell='tn']").TextContent);
            Assert.Contains("AUC 0.950", cut.Find(".run-roc-title").TextContent);
        });
    }

    [Fact]
    public async Task Render_EpochChoiceMovedToOne_ShowsEpochOnesCounts()
    {
        var run = await AddRunAsync(RunStatus.Completed);
        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find(".confusion").GetAttribute("data-epoch")));

        cut.Find(".run-epoch-slider input[type=range]").Input("1");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1", cut.Find(".confusion").GetAttribute("data-epoch"));
            Assert.Equal(["30", "20", "15", "35"], Counts(cut));
        });
    }

    [Fact]
    public async Task Render_FailedRun_ShowsItsErrorAndAResumeButton()
    {
        var run = await AddRunAsync(RunStatus.Failed, error: "CUDA out of memory: try a smaller batch size.", lastCheckpoint: true);

        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("CUDA out of memory: try a smaller batch size.", cut.Find(".run-error").TextContent);
            Assert.Contains(cut.FindAll("button"), b => b.TextContent.Trim() == "Resume");
            Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Cancel");
        });
    }

    [Fact]
    public async Task Render_FailedRunWithoutACheckpoint_OffersNoResumeAndSaysWhy()
    {
        var run = await AddRunAsync(RunStatus.Failed, error: "Slurm job 17 failed (FAILED).");

        var cut = Render<RunDetailPage>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Slurm job 17 failed", cut.Find(".run-error").TextContent);
            Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Resume");
            Assert.Contains("No checkpoint to resume from", cut.Find(".run-no-resume").TextContent);
            Assert.Contains(cut.FindAll("button"), b => b.TextContent.Trim() == "Clone");
        });
    }

    private static List<string> Counts(IRenderedComponent<RunDetailPage> cut) =>
        new[] { "tn", "fp", "fn", "tp" }.Select(c => cut.Find($"[data-cell='{c}'] .confusion-count").TextContent).ToList();

    private async Task<Run> AddRunAsync(RunStatus status, string? error = null, bool lastCheckpoint = false)
    {
        var run = RunListSeed.NewRun(Seed.NewDataSet("demo"), "detail", 1, status);
        run.ErrorMessage = error;
        if (lastCheckpoint)
        {
            run.Checkpoints = [new RunCheckpoint { Kind = CheckpointKind.Last, Epoch = 2, Path = "last.ckpt", SizeBytes = 1 }];
        }
        run.EpochMetrics =
        [
            Epoch(1, tn: 30, fp: 20, fn: 15, tp: 35, auc: 0.7, best: true),
            Epoch(2, tn: 40, fp: 10, fn: 5, tp: 45, auc: 0.95, best: true),
        ];
        await Seed.AddAsync(run);
        return run;
    }

    private static EpochMetric Epoch(int epoch, int tn, int fp, int fn, int tp, double auc, bool best) => new()
    {
        Epoch = epoch,
        TrainLoss = 0.7 / epoch,
        ValidationLoss = 0.8 / epoch,
        Accuracy = (tn + tp) / 100.0,
        Auc = auc,
        Sensitivity = tp / (double)(tp + fn),
        Specificity = tn / (double)(tn + fp),
        F1 = 0.8,
        TrueNegatives = tn,
        FalsePositives = fp,
        FalseNegatives = fn,
        TruePositives = tp,
        RocJson = "[{\"FalsePositiveRate\":0,\"TruePositiveRate\":0,\"Threshold\":1},{\"FalsePositiveRate\":1,\"TruePositiveRate\":1,\"Threshold\":0}]",
        LearningRate = 0.001,
        Seconds = 12.5,
        IsBest = best,
    };
}

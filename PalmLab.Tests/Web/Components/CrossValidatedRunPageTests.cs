using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Components.Pages.Runs;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web.Components;

/// <summary>The run page of a 2-fold, 2-epoch cross-validated run, and the runs list's row for it.</summary>
public sealed class CrossValidatedRunPageTests : RunPagesTestBase
{
    [Fact]
    public async Task Render_CrossValidatedRun_ShowsTheFinalMeanAndStdAndAChipPerFold()
    {
        var run = await AddCrossValidatedRunAsync();

        var cut = Open($"/runs/{run.Id}", run.Id);

        cut.WaitForAssertion(() =>
        {
            // Final accuracies 0.80 and 0.90: mean 0.85, sample std 0.1/sqrt(2); AUCs 0.90 and 0.94.
            var summary = cut.Find(".cv-summary").TextContent;
            Assert.Contains("2-fold cross-validation:", summary);
            Assert.Contains("accuracy 0.850 ± 0.071", summary);
            Assert.Contains("AUC 0.920 ± 0.028", summary);
            Assert.Contains("all 2 folds", summary);
            Assert.Equal(["mean", "1", "2"], cut.FindAll(".cv-fold-chip").Select(c => c.GetAttribute("data-fold")));
            Assert.Equal("true", cut.Find(".cv-fold-chip[data-fold='mean']").GetAttribute("aria-pressed"));
            // The mean view: one row per epoch with mean ± std, and no single fold's confusion matrix.
            Assert.Equal(["1", "2"], cut.FindAll(".cv-epochs tr.run-epoch").Select(r => r.GetAttribute("data-epoch")));
            Assert.Contains("0.850 ± 0.071", cut.Find(".cv-epochs tr[data-epoch='2']").TextContent);
            Assert.Empty(cut.FindAll(".confusion"));
            Assert.Equal(3, cut.FindAll(".cv-chart").Count);
        });
    }

    [Fact]
    public async Task ClickFoldChip_FoldTwo_KeepsItInTheAddressAndShowsThatFoldsEpochsAndMatrix()
    {
        var run = await AddCrossValidatedRunAsync();
        var cut = Open($"/runs/{run.Id}", run.Id);
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".cv-fold-chip").Count));

        cut.Find(".cv-fold-chip[data-fold='2']").Click();

        Assert.Contains("fold=2", Services.GetRequiredService<NavigationManager>().Uri);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find(".cv-fold-chip[data-fold='2']").GetAttribute("aria-pressed"));
            Assert.Equal(["1", "2"], cut.FindAll(".run-epochs:not(.cv-epochs) tr.run-epoch").Select(r => r.GetAttribute("data-epoch")));
            Assert.Equal("2", cut.Find(".confusion").GetAttribute("data-epoch"));
            // Fold 2's final epoch: 45 of 50 right in each class.
            Assert.Equal("45", cut.Find("[data-cell='tn'] .confusion-count").TextContent);
        });
    }

    [Fact]
    public async Task Compare_CrossValidatedAgainstOrdinaryRun_ShowsTheFoldMeanWithItsStd()
    {
        var cv = await AddCrossValidatedRunAsync();
        var plain = RunListSeed.NewRun(Seed.NewDataSet("plain"), "plain", 2);
        plain.EpochMetrics = [Epoch(0, 1, accuracy: 0.70, auc: 0.80), Epoch(0, 2, accuracy: 0.88, auc: 0.90)];
        plain.EpochMetrics.ForEach(m => m.Fold = null);
        await Seed.AddAsync(plain);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/compare?runs={cv.Id},{plain.Id}");

        var cut = Render<PalmLab.Web.Components.Pages.Compare.ComparePage>();

        cut.WaitForAssertion(() =>
        {
            var cells = cut.FindAll("tr[data-metric='accuracy-final'] td").Select(td => td.TextContent.Trim()).ToList();
            Assert.Equal(["0.850 ± 0.071", "0.880"], cells);
            // Ranked by the mean: 0.92 beats 0.90.
            Assert.Equal("true", cut.Find("tr[data-metric='auc-final'] td").GetAttribute("data-best"));
            Assert.Equal("0.920 ± 0.028", cut.Find("tr[data-metric='auc-best'] td").TextContent.Trim());
        });
    }

    private IRenderedComponent<RunDetailPage> Open(string address, int id)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<RunDetailPage>(p => p.Add(x => x.Id, id));
    }

    private async Task<Run> AddCrossValidatedRunAsync()
    {
        var run = RunListSeed.NewRun(Seed.NewDataSet("demo"), "cv", 1);
        run.Options = run.Options with { Epochs = 2, Folds = 2, Holdout = null };
        run.EpochMetrics =
        [
            Epoch(1, 1, accuracy: 0.70, auc: 0.80),
            Epoch(1, 2, accuracy: 0.80, auc: 0.90),
            Epoch(2, 1, accuracy: 0.60, auc: 0.70),
            Epoch(2, 2, accuracy: 0.90, auc: 0.94),
        ];
        await Seed.AddAsync(run);
        return run;
    }

    // 100 validation images, half of each class, split evenly between right and wrong by the accuracy.
    private static EpochMetric Epoch(int fold, int epoch, double accuracy, double auc)
    {
        var right = (int)Math.Round(accuracy * 50);
        return new EpochMetric
        {
            Fold = fold,
            Epoch = epoch,
            TrainLoss = 0.7 / epoch,
            ValidationLoss = 0.8 / epoch,
            Accuracy = accuracy,
            Auc = auc,
            TrueNegatives = right,
            FalsePositives = 50 - right,
            FalseNegatives = 50 - right,
            TruePositives = right,
            RocJson = "[]",
            LearningRate = 0.001,
            Seconds = 10,
            IsBest = true,
        };
    }
}

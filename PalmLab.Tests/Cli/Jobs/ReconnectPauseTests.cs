using PalmLab.Cli.Jobs;

namespace PalmLab.Tests.Cli.Jobs;

/// <summary>A job learns that a restarted dashboard is back within a few seconds, however long it was away.</summary>
public sealed class ReconnectPauseTests
{
    [Fact]
    public void Next_DuringALongOutage_GrowsFromOneSecondAndNeverPassesFiveSeconds()
    {
        var pause = new ReconnectPause();

        var pauses = Enumerable.Range(0, 12).Select(_ => pause.Next()).ToList();

        Assert.Equal([1, 2, 4, 5, 5], pauses.Take(5).Select(p => p.TotalSeconds));
        Assert.All(pauses, p => Assert.InRange(p, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Reset_AfterTheDashboardAnswered_StartsTheNextOutageAtOneSecond()
    {
        var pause = new ReconnectPause();
        for (var i = 0; i < 6; i++)
        {
            pause.Next();
        }

        pause.Reset();

        Assert.Equal(TimeSpan.FromSeconds(1), pause.Next());
    }
}

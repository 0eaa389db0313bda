using PalmLab.Cli.Jobs;
using PalmLab.Engine.Jobs;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Cli.Jobs;

/// <summary>A job whose dashboard is away keeps its reports, but not a copy of every epoch's checkpoints.</summary>
public sealed class ReportSenderTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UploadCheckpoint_DashboardAwayForManyEpochs_KeepsOnlyTheNewestWaitingCopyOfEachKind()
    {
        // Port 1 on loopback: nothing listens, so every send fails and every report stays waiting.
        using var client = new JobClient(new Uri("http://127.0.0.1:1/"), 1, "token");
        var spool = _temp.Sub("outbox");
        var checkpoint = _temp.File("last.ckpt");
        await using var sender = new ReportSender(client, spool);
        sender.Start(new JobStart("cpu", null));

        for (var epoch = 1; epoch <= 5; epoch++)
        {
            File.WriteAllText(checkpoint, $"epoch {epoch}");
            sender.UploadCheckpoint(checkpoint, null, "last");
            sender.UploadCheckpoint(checkpoint, null, "best");
            sender.UploadCheckpoint(checkpoint, 2, "last");
        }

        var waiting = Directory.GetFiles(spool).Select(File.ReadAllText).ToList();
        Assert.Equal(["epoch 5", "epoch 5", "epoch 5"], waiting);
        Assert.Equal(4, sender.Pending); // the start report and one upload of each kind and fold
    }
}

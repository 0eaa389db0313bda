using PalmLab.Engine;
using PalmLab.Tests.Support;

namespace PalmLab.Tests.Engine;

/// <summary>Files written whole or not at all; a file written only where none is, even when writers race.</summary>
public class AtomicFileTests
{
    [Fact]
    public async Task Write_NoOverwrite_EightWritersAtOnce_ExactlyOneWinsAndTheFileIsItsText()
    {
        // File.Move(overwrite: false), which this used to rest on, let two of eight win in 3 of 300 such races on Linux.
        using var temp = new TempDir();
        for (var trial = 0; trial < 200; trial++)
        {
            var path = Path.Combine(temp.Path, $"trial-{trial}");
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                await go.Task;
                try
                {
                    AtomicFile.Write(path, stream => stream.Write([(byte)('a' + i)]), overwrite: false);
                    return (char)('a' + i);
                }
                catch (IOException)
                {
                    return (char?)null;
                }
            })).ToList();

            go.SetResult();
            var winners = (await Task.WhenAll(writers)).Where(w => w is not null).ToList();

            Assert.True(winners.Count == 1, $"trial {trial}: {winners.Count} writers were told they wrote {Path.GetFileName(path)}");
            Assert.Equal(winners[0].ToString(), File.ReadAllText(path));
        }
        Assert.Equal(200, Directory.GetFiles(temp.Path).Length); // no temporary file left behind
    }
}

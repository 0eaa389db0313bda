using PalmLab.Engine;

namespace PalmLab.Cli;

/// <summary>Runs a command body and turns every failure into a one-line reason and a non-zero exit code.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (PalmLabException e)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: unexpected {e.GetType().Name}: {OneLine(e.Message)}");
            return 3;
        }
    }

    public static string OneLine(string message) => message.ReplaceLineEndings(" ");
}

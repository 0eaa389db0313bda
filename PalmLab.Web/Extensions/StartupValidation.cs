using Microsoft.Extensions.Options;

namespace PalmLab.Web.Extensions;

public static class StartupValidation
{
    private static int _handlerAdded;

    /// <summary>
    /// Validates every setting before anything is touched (the host itself would validate them only when it starts,
    /// after the database has been migrated), and throws on a bad one. A process stopped by it writes one line per
    /// problem to stderr, without a stack trace, and exits with 1. An in-process test host (WebApplicationFactory)
    /// runs Program on a thread of its own and catches the exception there, so its tests see the exception itself.
    /// </summary>
    public static void ValidatePalmLabSettings(this WebApplication app)
    {
        if (Interlocked.Exchange(ref _handlerAdded, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, e) => ExitOnSettingsProblem(e.ExceptionObject);
        }
        app.Services.GetService<IStartupValidator>()?.Validate();
    }

    private static void ExitOnSettingsProblem(object exception)
    {
        var problems = exception switch
        {
            OptionsValidationException options => [.. options.Failures],
            AggregateException all when all.InnerExceptions.All(inner => inner is OptionsValidationException) =>
                all.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures).ToList(),
            _ => [],
        };
        if (problems.Count == 0)
        {
            return;
        }
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }
        Environment.Exit(1);
    }
}

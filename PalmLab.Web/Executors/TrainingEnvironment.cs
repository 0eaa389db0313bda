namespace PalmLab.Web.Executors;

/// <summary>
/// The environment every executor gives a training process (`palmlab job`): tiered compilation off, so its code is
/// compiled once, fully, at the start, rather than recompiled on background threads while it trains. On 2 cores that
/// recompiling (the report client's HTTP and JSON code among it) took a local run to 0.865x of `palmlab train`'s img/s;
/// 0.93-0.97x without (docs/benchmarks.md, issue 23).
/// </summary>
public static class TrainingEnvironment
{
    public static IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string>
    {
        ["DOTNET_TieredCompilation"] = "0",
    };
}

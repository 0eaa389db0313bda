namespace PalmLab.Web.Executors.Local;

/// <summary>What a local training process gets besides the dashboard's own environment.</summary>
public static class LocalJobEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>();
}

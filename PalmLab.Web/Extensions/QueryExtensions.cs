using PalmLab.Web.Runs;

namespace PalmLab.Web.Extensions;

public static class QueryExtensions
{
    /// <summary>The read services the pages and the API share, so neither queries the database itself.</summary>
    public static IServiceCollection AddPalmLabQueries(this IServiceCollection services)
    {
        services.AddSingleton<RunQueries>();
        return services;
    }
}

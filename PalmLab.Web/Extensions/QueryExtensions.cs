using PalmLab.Web.DataSets;
using PalmLab.Web.Runs;
using PalmLab.Web.Sweeps;

namespace PalmLab.Web.Extensions;

public static class QueryExtensions
{
    /// <summary>The read services the pages and the API share, so neither queries the database itself.</summary>
    public static IServiceCollection AddPalmLabQueries(this IServiceCollection services)
    {
        services.AddSingleton<RunQueries>();
        services.AddSingleton<DataSetQueries>();
        services.AddSingleton<SweepQueries>();
        return services;
    }
}

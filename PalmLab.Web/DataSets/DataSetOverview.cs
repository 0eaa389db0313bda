using PalmLab.Web.Data;

namespace PalmLab.Web.DataSets;

/// <summary>A data set, how many runs trained on it, and the newest of them.</summary>
public sealed record DataSetOverview(DataSet DataSet, int RunCount, IReadOnlyList<DataSetRun> RecentRuns);

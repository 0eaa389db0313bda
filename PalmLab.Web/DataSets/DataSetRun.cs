using PalmLab.Web.Data;

namespace PalmLab.Web.DataSets;

/// <summary>A run as a data set's page lists it.</summary>
public sealed record DataSetRun(int Id, string Name, RunStatus Status, DateTimeOffset CreatedAt);

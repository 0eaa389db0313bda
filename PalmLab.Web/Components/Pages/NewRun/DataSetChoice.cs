using System.Text.Json;
using PalmLab.Engine.DataSets;
using PalmLab.Web.Data;

namespace PalmLab.Web.Components.Pages.NewRun;

/// <summary>A registered data set as the picker shows it: its training images by class and its validation images.</summary>
public sealed record DataSetChoice(DataSet DataSet, DataSetReport? Report)
{
    public int Id => DataSet.Id;

    public string Name => DataSet.Name;

    /// <summary>Without a validation folder a run holds out part of the training images instead.</summary>
    public bool HasValidation => DataSet.ValidDir is not null;

    public static DataSetChoice From(DataSet dataSet) => new(dataSet, ReadReport(dataSet.ReportJson));

    // A report written by an older version may not read; the picker then shows the row's totals only.
    private static DataSetReport? ReadReport(string? json)
    {
        try
        {
            return json is null ? null : JsonSerializer.Deserialize<DataSetReport>(json, DataSetJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

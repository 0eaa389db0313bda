using PalmLab.Engine.Training;
using PalmLab.Web.Components.Shared;
using PalmLab.Web.Data;

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>The options table's rows: the data set, then every training option of the engine's catalogue.</summary>
public static class CompareOptions
{
    public static IReadOnlyList<OptionRow> Build(IReadOnlyList<Run> runs)
    {
        var rows = new List<OptionRow> { Row("dataSet", "The data set the run trained on.", runs.Select(r => (object?)r.DataSet?.Name)) };
        rows.AddRange(TrainingOption.All.Select(o => Row(o.JsonName, o.Description, runs.Select(r => o.GetValue(r.Options)))));
        return rows;
    }

    // Raw values decide what differs: two rates that differ past the fourth digit still count.
    private static OptionRow Row(string name, string description, IEnumerable<object?> values)
    {
        var list = values.ToList();
        return new OptionRow(name, description, list.Select(OptionText.Format).ToList(), list.Distinct().Count() > 1);
    }
}

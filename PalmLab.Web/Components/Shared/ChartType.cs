namespace PalmLab.Web.Components.Shared;

public enum ChartType
{
    Line,
    Area,
    Scatter,
}

namespace PalmLab.Web.Components.Shared;

/// <summary>How <see cref="ApexChart"/> draws its series (named so as not to clash with MudBlazor's ChartType).</summary>
public enum ChartKind
{
    Line,
    Area,
    Scatter,
}

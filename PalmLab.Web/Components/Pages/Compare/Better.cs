namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>Which way a metric row improves: its best value is marked accordingly, or not at all.</summary>
public enum Better
{
    Higher,
    Lower,
    Neither,
}

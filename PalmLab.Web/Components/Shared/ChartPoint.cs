namespace PalmLab.Web.Components.Shared;

/// <summary>One point of a chart series: X is the step, epoch or threshold; Y the value.</summary>
public readonly record struct ChartPoint(double X, double Y);

namespace PalmLab.Web.Components.Shared;

/// <summary>A point as <c>charts.js</c> receives it; a null Y is a gap.</summary>
internal readonly record struct ChartPointData(double X, double? Y);

namespace PalmLab.Web.Components.Pages.Compare;

/// <summary>Why the chosen runs cannot be compared, in words for the user, and what to do instead.</summary>
public sealed record CompareProblem(string Title, string Detail);

namespace PalmLab.Web.Components.Layout;

/// <summary>
/// The light/dark choice: stored in a cookie by <c>wwwroot/js/theme.js</c>, read by <c>App.razor</c> when the page is
/// first rendered, and settable with <c>?theme=dark</c> or <c>?theme=light</c> on any page (which is then stored too).
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "palmlab-theme";
    public const string QueryName = "theme";
    public const string ModulePath = "./js/theme.js";
    public const int MaxAgeSeconds = 400 * 24 * 60 * 60; // the longest browsers keep a cookie

    /// <summary>The name of the cascading value, set by <c>Routes.razor</c>, that carries the stored choice.</summary>
    public const string StoredCascade = "PalmLab.StoredDarkMode";

    /// <summary>The name of the cascading value, set by <see cref="MainLayout"/>, that tells pages dark mode is on.</summary>
    public const string DarkModeCascade = "PalmLab.DarkMode";

    public const string Dark = "dark";
    public const string Light = "light";

    /// <summary>True for "dark", false for "light", null for anything else.</summary>
    public static bool? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        Dark => true,
        Light => false,
        _ => null,
    };

    public static string Format(bool dark) => dark ? Dark : Light;
}

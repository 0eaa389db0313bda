namespace PalmLab.Web.Security;

/// <summary>
/// The Content-Security-Policy every answer carries: scripts only from PalmLab's own files, never inline, so a string
/// that slips into HTML unescaped (a run name in a chart legend) cannot run. Styles may be inline: MudBlazor and
/// ApexCharts set them on elements. Connections (the Blazor circuit's WebSocket, the live-loss hub) go to the page's
/// own origin; images may be data: and blob: URLs (previews, heat maps, a chart's PNG download).
/// </summary>
public static class ContentSecurityPolicy
{
    public const string Value =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}

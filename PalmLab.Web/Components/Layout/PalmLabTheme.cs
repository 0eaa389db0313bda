using MudBlazor;

namespace PalmLab.Web.Components.Layout;

/// <summary>
/// A calm clinical palette: slate-blue primary, muted teal and sage accents, soft grey backgrounds, and a dark mode
/// of deep blue-greys (never pure black) for reading images and charts in a dim room.
/// </summary>
public static class PalmLabTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#2b6c8f",
            Secondary = "#4f8a74",
            Tertiary = "#8a6a9c",
            Info = "#3a7ca5",
            Success = "#3f8a5c",
            Warning = "#c08a2b",
            Error = "#b5473f",
            Background = "#f4f6f8",
            BackgroundGray = "#e9edf1",
            Surface = "#ffffff",
            AppbarBackground = "#1f3a4d",
            AppbarText = "#f1f5f8",
            DrawerBackground = "#ffffff",
            DrawerText = "#2a3740",
            DrawerIcon = "#5b6b7a",
            TextPrimary = "#1f2a33",
            TextSecondary = "#5b6b7a",
            LinesDefault = "#dde3e8",
            TableLines = "#e4e9ed",
            Divider = "#e1e6ea",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7cb8d6",
            Secondary = "#86c2a9",
            Tertiary = "#b99ccc",
            Info = "#6fb0d8",
            Success = "#78c49a",
            Warning = "#e0b25e",
            Error = "#e4847b",
            Background = "#11181e",
            BackgroundGray = "#18212a",
            Surface = "#18222b",
            AppbarBackground = "#15202a",
            AppbarText = "#e3eaef",
            DrawerBackground = "#141d25",
            DrawerText = "#c9d3da",
            DrawerIcon = "#9aa9b5",
            TextPrimary = "#e3eaef",
            TextSecondary = "#9aa9b5",
            ActionDefault = "#a9b6c0",
            LinesDefault = "#2a3641",
            TableLines = "#26313b",
            Divider = "#26313b",
        },
        Typography = new Typography
        {
            // System fonts only: the lab machines may be offline, and no web fonts are linked.
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "6px",
        },
    };
}

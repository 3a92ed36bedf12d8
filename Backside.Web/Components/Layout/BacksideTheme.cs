using MudBlazor;

namespace Backside.Web.Components.Layout;

/// <summary>
/// Backside's palettes. Every colour that carries text reaches WCAG AA (4.5:1) where MudBlazor paints it: as text on the
/// page and on its own 6% tint (text chips, alerts), and under its contrast text (filled buttons and chips). MudBlazor's
/// defaults do not (white on its orange is 2.15:1); the accessibility test (axe-core) checks every page in both.
/// </summary>
public static class BacksideTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00796b",
            AppbarBackground = "#1a237e",
            Success = "#2e7d32",
            Warning = "#a75100",
            Error = "#c62828",
            Info = "#1565c0",
            TextSecondary = "rgba(0,0,0,0.6)",
            ActionDefault = "rgba(0,0,0,0.6)",
        },
        // Dark: light tints with dark contrast text, as Material's dark theme does; MudBlazor's alerts write their
        // text in the *Darken* shade, which on a dark page must be the lighter one.
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = "#1a1b2e",
            PrimaryDarken = "#c5cae9",
            Secondary = "#80cbc4",
            SecondaryContrastText = "#000000",
            Success = "#66bb6a",
            SuccessContrastText = "#000000",
            SuccessDarken = "#81c784",
            Warning = "#ffb74d",
            WarningContrastText = "#000000",
            WarningDarken = "#ffcc80",
            Error = "#ff8a80",
            ErrorContrastText = "#000000",
            ErrorDarken = "#ffab91",
            Info = "#64b5f6",
            InfoContrastText = "#000000",
            InfoDarken = "#90caf9",
            TextSecondary = "rgba(255,255,255,0.6)",
        },
    };
}

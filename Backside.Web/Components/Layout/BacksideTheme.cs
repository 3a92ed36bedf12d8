using MudBlazor;

namespace Backside.Web.Components.Layout;

public static class BacksideTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            AppbarBackground = "#1a237e",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7986cb",
            Secondary = "#4db6ac",
        },
    };
}

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.JSInterop;
using MudBlazor;

namespace PalmLab.Web.Components.Layout;

public sealed partial class MainLayout : IAsyncDisposable
{
    private readonly MudTheme _theme = PalmLabTheme.Create();
    private bool _drawerOpen = true;
    private bool _isDarkMode;
    private bool _storeOnStart;
    private IJSObjectReference? _themeModule;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>The choice read from the cookie when the page was requested (see <see cref="ThemePreference"/>).</summary>
    [CascadingParameter(Name = ThemePreference.StoredCascade)]
    public bool StoredDarkMode { get; set; }

    private string ThemeToggleLabel => _isDarkMode ? "Switch to light mode" : "Switch to dark mode";

    protected override void OnInitialized()
    {
        var query = QueryHelpers.ParseQuery(Navigation.ToAbsoluteUri(Navigation.Uri).Query);
        var requested = query.TryGetValue(ThemePreference.QueryName, out var value) ? ThemePreference.Parse(value) : null;
        _isDarkMode = requested ?? StoredDarkMode;
        _storeOnStart = requested is not null && requested != StoredDarkMode;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && _storeOnStart)
        {
            await StoreAsync();
        }
    }

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private async Task ToggleDarkModeAsync()
    {
        _isDarkMode = !_isDarkMode;
        await StoreAsync();
    }

    private async Task StoreAsync()
    {
        try
        {
            _themeModule ??= await JS.InvokeAsync<IJSObjectReference>("import", ThemePreference.ModulePath);
            await _themeModule.InvokeVoidAsync(
                "store", ThemePreference.CookieName, ThemePreference.Format(_isDarkMode), ThemePreference.MaxAgeSeconds);
        }
        catch (JSDisconnectedException)
        {
            // The page is closing; the choice made just now applies to this visit only.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_themeModule is null)
        {
            return;
        }

        try
        {
            await _themeModule.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
    }
}

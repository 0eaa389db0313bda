using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using PalmLab.Web.Components.Layout;

namespace PalmLab.Tests.Web.Components;

public sealed class MainLayoutTests : ComponentTestBase
{
    private readonly BunitJSModuleInterop _themeModule;

    public MainLayoutTests() => _themeModule = JSInterop.SetupModule(ThemePreference.ModulePath);

    private IRenderedComponent<MainLayout> RenderLayout(bool stored = false) => Render<MainLayout>(p => p
        .Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1>page</h1>")))
        .AddCascadingValue(ThemePreference.StoredCascade, stored));

    private static bool IsDarkMode(IRenderedComponent<MainLayout> cut) =>
        cut.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode);

    [Theory]
    [InlineData(false, "false")]
    [InlineData(true, "true")]
    public void Render_PrerenderedOrInteractive_MarksWhetherClicksWorkForBrowserTests(bool interactive, string expected)
    {
        Renderer.SetRendererInfo(new RendererInfo(interactive ? "Server" : "Static", interactive));

        var cut = RenderLayout();

        Assert.Equal(expected, cut.Find(".mud-layout").GetAttribute("data-interactive"));
    }

    [Fact]
    public void ToggleDarkMode_Clicked_FlipsIsDarkModeAndStoresTheChoice()
    {
        var cut = RenderLayout();
        Assert.False(IsDarkMode(cut));

        cut.Find("button[aria-label='Switch to dark mode']").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.True(IsDarkMode(cut));
            Assert.Equal<object?>(
                [ThemePreference.CookieName, "dark", ThemePreference.MaxAgeSeconds],
                _themeModule.VerifyInvoke("store").Arguments);
        });

        cut.Find("button[aria-label='Switch to light mode']").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.False(IsDarkMode(cut));
            Assert.Equal("light", _themeModule.VerifyInvoke("store", calledTimes: 2)[1].Arguments[1]);
        });
    }

    [Fact]
    public void Render_StoredDarkChoice_StartsDarkWithoutStoringAgain()
    {
        var cut = RenderLayout(stored: true);

        cut.WaitForAssertion(() =>
        {
            Assert.True(IsDarkMode(cut));
            Assert.Empty(_themeModule.Invocations["store"]);
        });
    }

    [Fact]
    public void Render_ThemeInQuery_OverridesTheStoredChoiceAndStoresIt()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/?theme=dark");

        var cut = RenderLayout(stored: false);

        cut.WaitForAssertion(() =>
        {
            Assert.True(IsDarkMode(cut));
            Assert.Equal("dark", _themeModule.VerifyInvoke("store").Arguments[1]);
        });
    }

    [Fact]
    public void Render_DarkMode_CascadesItToThePage()
    {
        var cut = Render<MainLayout>(p => p
            .Add(l => l.Body, (RenderFragment)(b =>
            {
                b.OpenComponent<DarkModeProbe>(0);
                b.CloseComponent();
            }))
            .AddCascadingValue(ThemePreference.StoredCascade, true));

        cut.WaitForAssertion(() => Assert.True(cut.FindComponent<DarkModeProbe>().Instance.Dark));
    }
}

using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;

namespace PalmLab.Tests.Web.Components;

/// <summary>
/// A bUnit context with MudBlazor's services and Loose JS interop, so MudBlazor's own JS calls answer with defaults
/// and tests set up and verify only the modules they are about. Renders finish asynchronously (module imports, JS
/// calls): assert with <c>cut.WaitForAssertion</c>, never with a fixed delay.
/// </summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    protected ComponentTestBase()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        // As in the app, where every component runs in an interactive Server circuit (App.razor's render modes).
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // Some MudBlazor services are only IAsyncDisposable, and xunit 2 disposes test classes synchronously:
    // dispose asynchronously first, so the synchronous Dispose that follows finds nothing left to do.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}

using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace PalmLab.Tests.Web.Components;

/// <summary>
/// A bUnit context with MudBlazor's services and Loose JS interop, so MudBlazor's own JS calls answer with defaults
/// and tests set up and verify only the modules they are about. Renders finish asynchronously (module imports, JS
/// calls): assert with <c>cut.WaitForAssertion</c>, never with a fixed delay.
/// </summary>
public abstract class ComponentTestBase : BunitContext, IAsyncLifetime
{
    /// <summary>
    /// How long every <c>WaitFor…</c> of these tests waits before it fails. bUnit's default, 1 s, is a wall-clock
    /// bet that a busy 2-core machine loses (a render that waits for a database or a JS module can take seconds
    /// there); a wait that passes returns as soon as its assertion holds, so only a failing test pays for this.
    /// </summary>
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    static ComponentTestBase()
    {
        // One default for all bUnit waits, rather than a timeout argument at each of 120 calls. bUnit's timeout
        // exception carries the last failed assertion as its inner exception, so the message says what never held.
        DefaultWaitTimeout = WaitTimeout;
    }

    protected ComponentTestBase()
    {
        Services.AddMudServices();
        AddServices(Services);
        JSInterop.Mode = JSRuntimeMode.Loose;
        // As in the app, where every component runs in an interactive Server circuit (App.razor's render modes).
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>
    /// Registers what the component under test needs. Called from this constructor, because setting the renderer up
    /// builds the service provider and bUnit takes no registrations after that; a derived class's field initializers
    /// have run by then, its constructor body has not.
    /// </summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // Some MudBlazor services are only IAsyncDisposable, and xunit 2 disposes test classes synchronously:
    // dispose asynchronously first, so the synchronous Dispose that follows finds nothing left to do.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}

using PalmLab.Web.Api;
using PalmLab.Web.Components;
using PalmLab.Web.Data;
using PalmLab.Web.Extensions;
using PalmLab.Web.Runs;

var builder = WebApplication.CreateBuilder(args);
builder.AddPalmLabWeb();

var app = builder.Build();
app.ValidatePalmLabSettings();
try
{
    await app.InitializePalmLabAsync();
}
catch (DatabaseUnavailableException e)
{
    // Not a bug but a server to start or a setting to fix: one line that says which, not a stack trace.
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 1;
}

app.UsePalmLabErrorHandling();
app.UsePalmLabSecurity();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapOpenApi();
app.MapPalmLabApi();
app.MapDataSetsApi();
app.MapPredictApi();
app.MapSweepsApi();
app.MapJobsApi();
app.MapPalmLabHealthChecks();
app.MapPalmLabSignOut();
app.MapHub<RunsHub>(RunsHub.Path);
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the in-process test host.</summary>
public partial class Program;

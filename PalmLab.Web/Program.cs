using PalmLab.Web.Api;
using PalmLab.Web.Components;
using PalmLab.Web.Extensions;
using PalmLab.Web.Runs;

var builder = WebApplication.CreateBuilder(args);
builder.AddPalmLabWeb();

var app = builder.Build();
app.ValidatePalmLabSettings();
await app.InitializePalmLabAsync();

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

/// <summary>Entry point, visible to the in-process test host.</summary>
public partial class Program;

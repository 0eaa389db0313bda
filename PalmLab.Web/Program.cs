using PalmLab.Web.Api;
using PalmLab.Web.Components;
using PalmLab.Web.Extensions;
using PalmLab.Web.Runs;

var builder = WebApplication.CreateBuilder(args);
builder.AddPalmLabWeb();

var app = builder.Build();
await app.InitializePalmLabAsync();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
// Pages get a friendly 404 page; API clients get the bare status code.
app.UseWhen(
    context => !context.Request.Path.StartsWithSegments("/api"),
    pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseAntiforgery();

app.MapStaticAssets();
app.MapOpenApi();
app.MapPalmLabApi();
app.MapHub<RunsHub>(RunsHub.Path);
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Entry point, visible to the in-process test host.</summary>
public partial class Program;

using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Web.Errors;

namespace PalmLab.Tests.Web;

public class ErrorPageTests : IDisposable
{
    private readonly PalmLabAppFactory _app = new(kestrel: false);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task GetPage_UnknownRoute_Answers404WithTheFriendlyNotFoundPage()
    {
        var response = await _app.CreateClient().GetAsync("/no-such-page");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is nothing at this address.", body);
    }

    [Theory]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("/_framework/blazor.web.js")]
    public async Task StaticWebAssets_ProductionEnvironment_AreServed(string path)
    {
        var response = await _app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task UnhandledException_OnTheApi_Answers500ProblemJsonWithoutMessageOrStackTrace(string environment)
    {
        var response = await ThrowingClient(environment).GetAsync(ThrowingPathStartupFilter.ApiPath);

        await response.AssertProblemAsync(HttpStatusCode.InternalServerError, environment);
        Assert.DoesNotContain(ThrowingPathStartupFilter.Secret, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task UnhandledException_OnAPage_AnswersTheFriendlyErrorPageWithoutMessageOrStackTrace(string environment)
    {
        var client = ThrowingClient(environment);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        var response = await client.GetAsync(ThrowingPathStartupFilter.PagePath);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong on the server while answering this page.", body);
        Assert.DoesNotContain(ThrowingPathStartupFilter.Secret, body);
        Assert.DoesNotContain("   at ", body);
    }

    [Theory]
    [InlineData("application/json", "application/problem+json")]
    [InlineData("text/html", "text/plain")]
    public async Task DeveloperPageFilter_AnyException_WritesNeitherMessageNorStackTrace(string accept, string expectedType)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Headers.Accept = accept;
        context.Response.Body = new MemoryStream();
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var filter = new NoStackTraceExceptionFilter(services.GetRequiredService<IProblemDetailsService>());

        await filter.HandleExceptionAsync(new ErrorContext(context, new InvalidOperationException(ThrowingPathStartupFilter.Secret)),
            _ => throw new InvalidOperationException("the developer exception page must not render"));

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.StartsWith(expectedType, context.Response.ContentType);
        Assert.Equal(500, context.Response.StatusCode);
        Assert.DoesNotContain(ThrowingPathStartupFilter.Secret, body);
        Assert.DoesNotContain("   at ", body);
    }

    private HttpClient ThrowingClient(string environment) => _app.WithWebHostBuilder(builder => builder
            .UseEnvironment(environment)
            .ConfigureServices(services => services.AddSingleton<IStartupFilter, ThrowingPathStartupFilter>()))
        .CreateClient();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using PalmLab.Web.Api;
using PalmLab.Web.Data;

namespace PalmLab.Tests.Web;

/// <summary>Small typed helpers over the dashboard's REST API.</summary>
public static class ApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<RunDto> QueueAsync(this HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/api/runs", request, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RunDto>(Json))!;
    }

    public static async Task<RunDto> GetRunAsync(this HttpClient client, int id) =>
        (await client.GetFromJsonAsync<RunDto>($"/api/runs/{id}", Json))!;

    /// <summary>Asserts an application/problem+json answer with the given status, and returns its problem details.</summary>
    public static async Task<ProblemDetails> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{what}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{what}: expected application/problem+json, got '{response.Content.Headers.ContentType}' {body}");
        var problem = JsonSerializer.Deserialize<ProblemDetails>(body, Json)!;
        Assert.Equal((int)status, problem.Status);
        Assert.DoesNotContain("   at ", body);
        return problem;
    }

    public static async Task<RunDto> WaitForAsync(this HttpClient client, int id, params RunStatus[] statuses)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var run = await client.GetRunAsync(id);
            if (statuses.Contains(run.Status))
            {
                return run;
            }
            Assert.True(DateTime.UtcNow < deadline, $"run {id} is still {run.Status} ({run.ErrorMessage}) after 120 s; waited for {string.Join("/", statuses)}");
            await Task.Delay(100);
        }
    }
}

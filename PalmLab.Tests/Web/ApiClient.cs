using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
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

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LrDoctor.Core.Json;

namespace LrDoctor.Tests.Infrastructure;

/// <summary>Calls of the daemon's HTTP API used across the end-to-end tests.</summary>
public static class DaemonApi
{
    /// <summary>Posts a job; returns the response (the caller asserts its status).</summary>
    public static Task<HttpResponseMessage> PostJobAsync(this DaemonProcess daemon, string jobJson, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/runs", UriKind.Relative))
        {
            Content = new StringContent(jobJson, Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return daemon.Client.SendAsync(request);
    }

    /// <summary>Posts a job that must be accepted; returns the run id.</summary>
    public static async Task<string> SubmitAsync(this DaemonProcess daemon, string jobJson)
    {
        using var response = await daemon.PostJobAsync(jobJson).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Gets a run as JSON.</summary>
    public static async Task<JsonElement> GetRunAsync(this DaemonProcess daemon, string runId)
    {
        string body = await daemon.Client.GetStringAsync(new Uri($"api/runs/{runId}", UriKind.Relative)).ConfigureAwait(false);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Gets a run's state.</summary>
    public static async Task<string> StateAsync(this DaemonProcess daemon, string runId) =>
        (await daemon.GetRunAsync(runId).ConfigureAwait(false)).GetProperty("state").GetString()!;

    /// <summary>Waits until the run is in one of <paramref name="states"/>.</summary>
    public static Task WaitForStateAsync(this DaemonProcess daemon, string runId, TimeSpan timeout, params string[] states)
    {
        var wanted = new HashSet<string>(states, StringComparer.Ordinal);
        return daemon.WaitUntilAsync(async () => wanted.Contains(await daemon.StateAsync(runId).ConfigureAwait(false)), timeout, $"run {runId} to be {string.Join("|", states)}");
    }

    /// <summary>Gets every step of a run (paging through the API).</summary>
    public static async Task<List<JsonElement>> StepsAsync(this DaemonProcess daemon, string runId)
    {
        var all = new List<JsonElement>();
        long from = 0;
        while (true)
        {
            string body = await daemon.Client.GetStringAsync(new Uri($"api/runs/{runId}/steps?from={from}&limit=5000", UriKind.Relative)).ConfigureAwait(false);
            var page = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
            all.AddRange(page);
            if (page.Count < 5000)
            {
                return all;
            }

            from = page[^1].GetProperty("step").GetInt64() + 1;
        }
    }

    /// <summary>Gets the events of a run.</summary>
    public static async Task<List<JsonElement>> EventsAsync(this DaemonProcess daemon, string runId)
    {
        string body = await daemon.Client.GetStringAsync(new Uri($"api/runs/{runId}/events", UriKind.Relative)).ConfigureAwait(false);
        return JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Posts JSON to a path.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this DaemonProcess daemon, string path, object body) =>
        daemon.Client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, LrDoctorJson.Options);
}

using System.Net;
using System.Text;
using System.Text.Json;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>The daemon's run API as the end-to-end tests use it.</summary>
internal static class RunApi
{
    /// <summary>Submits a job; returns the run id.</summary>
    public static async Task<string> SubmitAsync(DaemonProcess daemon, string jobJson)
    {
        using var response = await daemon.Client.PostAsync(new Uri("api/runs", UriKind.Relative), new StringContent(jobJson, Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/runs: {(int)response.StatusCode} {body}");
        using var run = JsonDocument.Parse(body);
        return run.RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<List<JsonElement>> EventsAsync(DaemonProcess daemon, string runId)
    {
        using var events = JsonDocument.Parse(await daemon.Client.GetStringAsync(new Uri($"api/runs/{runId}/events", UriKind.Relative)));
        return events.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public static async Task<string> StateAsync(DaemonProcess daemon, string runId)
    {
        using var run = JsonDocument.Parse(await daemon.Client.GetStringAsync(new Uri($"api/runs/{runId}", UriKind.Relative)));
        return run.RootElement.GetProperty("state").GetString()!;
    }

    /// <summary>Polls the run's events until one matches, failing early when the run ends without it.</summary>
    public static async Task<JsonElement> WaitForEventAsync(DaemonProcess daemon, string runId, Func<JsonElement, bool> match, TimeSpan timeout, string what, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = await EventsAsync(daemon, runId);
            if (events.FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }

            string state = await StateAsync(daemon, runId);
            if (DateTime.UtcNow > deadline || state is not ("queued" or "running"))
            {
                string recorded = string.Join("\n", events.Select(e => e.GetRawText()));
                throw new TimeoutException($"no {what} within {timeout} (run {runId} is {state}).\nEvents:\n{recorded}\n{context?.Invoke()}\nDaemon:\n{daemon.Output}");
            }

            await Task.Delay(250);
        }
    }

    public static bool IsLrChange(JsonElement e) =>
        e.GetProperty("kind").GetString() != "finding" && e.TryGetProperty("newLr", out var newLr) && newLr.ValueKind == JsonValueKind.Number;

    public static double Number(JsonElement e, string name) => e.GetProperty(name).GetDouble();
}

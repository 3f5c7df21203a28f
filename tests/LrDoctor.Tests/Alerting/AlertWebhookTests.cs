using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LrDoctor.Alerting;
using LrDoctor.Core.Runs;
using LrDoctor.Hosting;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Alerting;

public sealed class AlertWebhookTests
{
    [Fact]
    public async Task PostAlerts_FiringAlertForLiveRun_PostsCommandNamingAlertOnceAcrossRepeats()
    {
        var control = new RecordingRunControl("r-42");
        await using var host = await WebhookHost.StartAsync(control);

        var first = await PostAsync(host, Payload(Alert("fp-1", "2026-11-22T22:40:01.123456789Z", action: "cut_lr")));
        var repeat = await PostAsync(host, Payload(Alert("fp-1", "2026-11-22T22:40:01.123456789Z", action: "cut_lr")));

        Assert.Equal(["applied"], Outcomes(first));
        Assert.Equal(["repeat"], Outcomes(repeat));
        var (runId, command) = Assert.Single(control.Posted);
        Assert.Equal("r-42", runId);
        Assert.Equal(RunCommandKind.ScaleLr, command.Kind);
        Assert.Equal(0.5, command.Value);
        Assert.Contains("LrDoctorLossOscillation", command.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAlerts_RepeatAfterADaemonRestart_IsNotAppliedAgain()
    {
        string dir = Directory.CreateTempSubdirectory("lrdoctor-claims-").FullName;
        try
        {
            string database = Path.Combine(dir, "lrdoctor.db");
            var control = new RecordingRunControl("r-42");
            await using (var before = await WebhookHost.StartAsync(control, database: database))
            {
                Assert.Equal(["applied"], Outcomes(await PostAsync(before, Payload(Alert("fp-1", "2026-11-22T22:40:01Z", action: "cut_lr")))));
            }

            // Alertmanager repeats the firing alert after the restart (repeat_interval); a new firing period is still new.
            await using var after = await WebhookHost.StartAsync(control, database: database);
            var repeat = await PostAsync(after, Payload(Alert("fp-1", "2026-11-22T22:40:01Z", action: "cut_lr")));
            var newPeriod = await PostAsync(after, Payload(Alert("fp-1", "2026-11-22T23:10:00Z", action: "cut_lr")));

            Assert.Equal(["repeat"], Outcomes(repeat));
            Assert.Equal(["applied"], Outcomes(newPeriod));
            Assert.Equal(2, control.Posted.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task PostAlerts_ResolvedThenFiringAgain_AppliesOnlyTheNewFiringPeriod()
    {
        var control = new RecordingRunControl("r-42");
        await using var host = await WebhookHost.StartAsync(control);

        await PostAsync(host, Payload(Alert("fp-1", "2026-11-22T22:40:01Z")));
        var resolved = await PostAsync(host, Payload(Alert("fp-1", "2026-11-22T22:40:01Z", status: "resolved")));
        var again = await PostAsync(host, Payload(Alert("fp-1", "2026-11-22T22:45:00Z")));

        Assert.Equal(["resolved"], Outcomes(resolved));
        Assert.Equal(["applied"], Outcomes(again));
        Assert.Equal([RunCommandKind.RollbackAndCut, RunCommandKind.RollbackAndCut], control.Posted.Select(p => p.Command.Kind));
    }

    [Fact]
    public async Task PostAlerts_UnknownRun_Answers200WithUnknownRun()
    {
        var control = new RecordingRunControl("r-42");
        await using var host = await WebhookHost.StartAsync(control);

        var response = await PostAsync(host, Payload(Alert("fp-9", "2026-11-22T22:40:01Z", run: "gone")));

        Assert.Equal(["unknown_run"], Outcomes(response));
        Assert.Empty(control.Posted);
    }

    [Fact]
    public async Task PostAlerts_NotifyOnlyAlert_ChangesNothing()
    {
        var control = new RecordingRunControl("r-42");
        await using var host = await WebhookHost.StartAsync(control);

        var response = await PostAsync(host, Payload(Alert("fp-2", "2026-11-22T22:40:01Z", action: "none")));

        Assert.Equal(["notify_only"], Outcomes(response));
        Assert.Empty(control.Posted);
    }

    [Theory]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\"}", "alerts")]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"2026-11-22T22:40:01Z\"}]}", "alerts[0].fingerprint")]
    [InlineData("{ not json", "$")]
    public async Task PostAlerts_MalformedPayload_Answers400ProblemNamingField(string body, string field)
    {
        var control = new RecordingRunControl("r-42");
        await using var host = await WebhookHost.StartAsync(control);

        using var response = await host.Client.PostAsync(new Uri(AlertWebhookEndpoints.Path, UriKind.Relative), Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        Assert.Empty(control.Posted);
    }

    [Fact]
    public async Task PostAlerts_ApiKeyConfigured_RequiresTheBearerToken()
    {
        var control = new RecordingRunControl("r-42");
        await using var host = await WebhookHost.StartAsync(control, new Dictionary<string, string?> { ["LrDoctor:Auth:ApiKey"] = "s3cret-key-of-16-chars" });
        string body = Payload(Alert("fp-1", "2026-11-22T22:40:01Z"));

        using var anonymous = await host.Client.PostAsync(new Uri(AlertWebhookEndpoints.Path, UriKind.Relative), Json(body));
        using var wrong = await PostWithTokenAsync(host, body, "guess");
        using var right = await PostWithTokenAsync(host, body, "s3cret-key-of-16-chars");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Single(control.Posted);
    }

    [Theory]
    [InlineData("CutLrFactor", "2")]
    [InlineData("ReduceOnPlateauFactor", "zero")]
    public async Task MapAlertWebhook_FactorOutOfRange_FailsAtStartNamingTheKey(string key, string value)
    {
        var e = await Assert.ThrowsAsync<ConfigurationException>(() =>
            WebhookHost.StartAsync(new RecordingRunControl(), new Dictionary<string, string?> { [$"LrDoctor:Alerting:{key}"] = value }));

        Assert.Contains($"LrDoctor:Alerting:{key}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostAlerts_ConfiguredReduceOnPlateauFactor_ScalesByIt()
    {
        var control = new RecordingRunControl("r-42");
        await using var host = await WebhookHost.StartAsync(control, new Dictionary<string, string?> { ["LrDoctor:Alerting:ReduceOnPlateauFactor"] = "0.3" });

        await PostAsync(host, Payload(Alert("fp-3", "2026-11-22T22:40:01Z", action: "reduce_on_plateau")));

        Assert.Equal(0.3, Assert.Single(control.Posted).Command.Value);
    }

    private static async Task<JsonDocument> PostAsync(LoopbackApp host, string body)
    {
        using var response = await host.Client.PostAsync(new Uri(AlertWebhookEndpoints.Path, UriKind.Relative), Json(body));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    private static async Task<HttpResponseMessage> PostWithTokenAsync(LoopbackApp host, string body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(AlertWebhookEndpoints.Path, UriKind.Relative)) { Content = Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await host.Client.SendAsync(request);
    }

    private static List<string?> Outcomes(JsonDocument response) =>
        response.RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()).ToList();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Payload(params string[] alerts) =>
        $$"""{"receiver":"lrdoctor","status":"firing","alerts":[{{string.Join(",", alerts)}}],"groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}:{}","truncatedAlerts":0}""";

    private static string Alert(string fingerprint, string startsAt, string status = "firing", string run = "r-42", string action = "rollback_and_cut")
    {
        string name = action == "cut_lr" ? "LrDoctorLossOscillation" : "LrDoctorLossSpike";
        string endsAt = status == "resolved" ? "2026-11-22T22:41:00Z" : "0001-01-01T00:00:00Z";
        return $$"""{"status":"{{status}}","labels":{"alertname":"{{name}}","run":"{{run}}","action":"{{action}}","severity":"warning","symptom":"spike"},"annotations":{"summary":"Run {{run}}: trouble"},"startsAt":"{{startsAt}}","endsAt":"{{endsAt}}","generatorURL":"http://127.0.0.1:9090/graph","fingerprint":"{{fingerprint}}"}""";
    }
}

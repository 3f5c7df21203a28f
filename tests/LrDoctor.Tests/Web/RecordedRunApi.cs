using System.Globalization;
using LrDoctor.Core.Json;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LrDoctor.Tests.Web;

/// <summary>
/// The daemon's run API (DESIGN.md shapes) over one recorded run that grows by 40 steps each time the page asks for it:
/// a spike at step 300 found by the doctor and treated at step 302 (LR 0.1 -> 0.01), two parameter groups, an LR range test.
/// </summary>
internal sealed class RecordedRunApi(long firstStep = 399, long finalStep = 999)
{
    public const string RunId = "r-recorded";
    public const string RunName = "digits-mlp-spiky";

    private long _step = firstStep;

    /// <summary>Gets the <c>every=</c> of each steps request the page made, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<int> StepRequests { get; } = new();

    public static void Map(IEndpointRouteBuilder endpoints, RecordedRunApi api)
    {
        endpoints.MapGet("/api/runs", () => Results.Json(new[] { api.Run(advance: false) }, LrDoctorJson.Options));
        endpoints.MapGet("/api/runs/{id}", (string id) => id == RunId ? Results.Json(api.Run(advance: true), LrDoctorJson.Options) : Results.NotFound());
        endpoints.MapGet("/api/runs/{id}/steps", (string id, long? from, long? to, int? every) =>
        {
            api.StepRequests.Enqueue(every ?? 1);
            return id == RunId ? Results.Json(api.Steps(from ?? 0, to ?? long.MaxValue, every ?? 1), LrDoctorJson.Options) : Results.NotFound();
        });
        endpoints.MapGet("/api/runs/{id}/events", (string id) => id == RunId ? Results.Json(Events, LrDoctorJson.Options) : Results.NotFound());
        endpoints.MapGet("/api/runs/{id}/artifacts/lr_finder", (string id) => id == RunId ? Results.Text(Finder, "application/json") : Results.NotFound());
    }

    private static readonly object[] Events =
    [
        new { step = 300L, kind = EventKind.Finding, symptom = "spike", reason = "loss 4.1 is 3.2x its recent median", timeUtc = "2026-11-22T22:40:01Z" },
        new { step = 302L, kind = EventKind.RollbackAndCut, symptom = "spike", oldLr = 0.1, newLr = 0.01, reason = "rolled back to step 250 and cut the LR 10x", timeUtc = "2026-11-22T22:40:02Z" },
    ];

    private static readonly string Finder = "{\"points\":[" + string.Join(',', Enumerable.Range(0, 60).Select(i =>
    {
        double lr = 1e-5 * Math.Pow(10, i / 10.0);
        double loss = 2.3 - (0.9 * Math.Tanh(i / 15.0)) + (i > 45 ? 0.2 * (i - 45) : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{{\"lr\":{lr},\"loss\":{loss},\"smoothedLoss\":{loss}}}");
    })) + "],\"suggestions\":{\"steep\":0.0003,\"valley\":0.002,\"minimum\":0.01},\"recommended\":0.002,\"divergenceLr\":0.05,\"stoppedEarly\":true,\"seconds\":3.2}";

    private object Run(bool advance)
    {
        long step = advance ? Interlocked.Add(ref _step, 40) : Interlocked.Read(ref _step);
        step = Math.Min(step, finalStep);
        string state = WireName.Of(step >= finalStep ? RunState.Completed : RunState.Running);
        return new { id = RunId, name = RunName, state, step, createdUtc = "2026-11-22T22:39:00Z" };
    }

    private List<StepRecord> Steps(long from, long to, int every)
    {
        long last = Math.Min(Math.Min(to, Interlocked.Read(ref _step)), finalStep);
        var steps = new List<StepRecord>();
        for (long s = from; s <= last; s += every)
        {
            double lr = s < 302 ? 0.1 : 0.01;
            double loss = s is >= 300 and < 302 ? 4.1 : 2.3 * Math.Exp(-s / 250.0) + 0.1;
            steps.Add(new StepRecord(s, loss, s % 50 == 0 ? loss * 1.1 : null, lr, s is >= 300 and < 302 ? 40 : 1.5 + Math.Sin(s / 20.0))
            {
                GroupLrs = [lr, lr / 10],
            });
        }

        return steps;
    }
}

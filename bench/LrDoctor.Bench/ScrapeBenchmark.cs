using System.Diagnostics;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using LrDoctor.Hosting;
using LrDoctor.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace LrDoctor.Bench;

/// <summary>Latency of GET /metrics on the real daemon host with the series of 50 live runs being updated meanwhile.</summary>
internal sealed class ScrapeBenchmark : IBenchmark
{
    public string Name => "scrape";

    public string Description => "GET /metrics latency (p50/p99) on the daemon host with 50 live runs updating";

    public int Run(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50;
        int scrapes = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        string dir = Path.Combine(Path.GetTempPath(), "lrdoctor-scrape-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string config = Path.Combine(dir, "appsettings.json");
        File.WriteAllText(config, """{"Logging":{"LogLevel":{"Default":"Warning"}},"LrDoctor":{"Storage":{"Path":"DB"}}}""".Replace("DB", Path.Combine(dir, "lrdoctor.db"), StringComparison.Ordinal));
        int port = FreePort();
        var app = DaemonHost.Build(config, $"http://127.0.0.1:{port}");
        app.StartAsync().GetAwaiter().GetResult();
        var metrics = app.Services.GetRequiredService<LrDoctorMetrics>();
        using var stop = new CancellationTokenSource();
        long updates = 0;
        var feeder = Task.Run(() =>
        {
            long step = 0;
            while (!stop.IsCancellationRequested)
            {
                for (int r = 0; r < runs; r++)
                {
                    string id = "run" + r;
                    if (step == 0)
                    {
                        metrics.SetState(id, RunState.Running);
                        metrics.OnFinding(id, new Finding(Symptoms.Spike, 0, Severity.Warning, "c", "a", new Dictionary<string, double>()));
                        metrics.OnEvent(id, new RunEvent(0, EventKind.CutLr, "cut", 0) { Symptom = Symptoms.Spike });
                    }

                    metrics.OnStep(id, new StepRecord(step, 1.0 / (step + 1), step % 50 == 0 ? 0.9 : null, 0.1, 0.5) { StepSeconds = 0.002, GroupLrs = [0.1, 0.01] });
                }

                step++;
                Interlocked.Add(ref updates, runs);
                Thread.Sleep(1);
            }
        });

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        for (int i = 0; i < 100; i++)
        {
            client.GetStringAsync(new Uri("metrics", UriKind.Relative)).GetAwaiter().GetResult();
        }

        var times = new double[scrapes];
        int bytes = 0;
        var wall = Stopwatch.StartNew();
        for (int i = 0; i < scrapes; i++)
        {
            var sw = Stopwatch.StartNew();
            bytes = client.GetStringAsync(new Uri("metrics", UriKind.Relative)).GetAwaiter().GetResult().Length;
            times[i] = sw.Elapsed.TotalMilliseconds;
        }

        double seconds = wall.Elapsed.TotalSeconds;
        stop.Cancel();
        feeder.GetAwaiter().GetResult();
        app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)app).Dispose();
        Directory.Delete(dir, recursive: true);
        Array.Sort(times);
        Console.WriteLine($"| GET /metrics, {runs} live runs ({bytes:N0} bytes), {scrapes} scrapes, {Interlocked.Read(ref updates) / seconds:N0} step updates/s meanwhile | p50 {times[scrapes / 2]:F2} ms, p99 {times[(int)(scrapes * 0.99)]:F2} ms, max {times[^1]:F2} ms |");
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

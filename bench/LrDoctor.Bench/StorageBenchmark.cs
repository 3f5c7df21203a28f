using System.Diagnostics;
using LiteDB;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using LrDoctor.Storage;

namespace LrDoctor.Bench;

/// <summary>Sustained throughput of the batched storage writer against raw LiteDB InsertBulk of one document per step, and range-query latency.</summary>
internal sealed class StorageBenchmark : IBenchmark
{
    public string Name => "storage";

    public string Description => "writer steps/s vs raw LiteDB InsertBulk (one doc per step); last-10k-steps query latency";

    private const int QueryRepeats = 200;

    public int Run(string[] args)
    {
        int steps = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        string dir = Path.Combine(Path.GetTempPath(), "lrdoctor-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"load average before: {LoadAverage()}");
            double raw = RawInsertBulk(Path.Combine(dir, "raw.db"), Math.Min(steps, 300_000));
            var (writer, firstMs, queryMs, p99Ms, maxMs) = Writer(Path.Combine(dir, "writer.db"), steps, runs);
            Console.WriteLine($"| raw LiteDB InsertBulk, 1 doc/step, batches of 1000 | {raw:N0} steps/s | 1.00x |");
            Console.WriteLine($"| StoreWriter ({runs} run(s), {steps:N0} steps, chunked, flush 200 ms / 1000) | {writer:N0} steps/s | {writer / raw:F2}x |");
            Console.WriteLine($"| query last 10,000 steps of a {steps / runs:N0}-step run | first (cold) {firstMs:F2} ms; then {QueryRepeats} queries: median {queryMs:F2} ms, p99 {p99Ms:F2} ms, max {maxMs:F2} ms | |");
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double RawInsertBulk(string path, int steps)
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var col = db.GetCollection("steps");
        var sw = Stopwatch.StartNew();
        var batch = new List<BsonDocument>(1000);
        for (int s = 0; s < steps; s++)
        {
            batch.Add(new BsonDocument
            {
                ["_id"] = $"run0/{s:D12}",
                ["step"] = s,
                ["trainLoss"] = 1.0 / (s + 1),
                ["lr"] = 0.1,
                ["gradNorm"] = 0.5,
            });
            if (batch.Count == 1000)
            {
                col.InsertBulk(batch);
                batch.Clear();
            }
        }

        col.InsertBulk(batch);
        return steps / sw.Elapsed.TotalSeconds;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private static (double StepsPerSecond, double FirstQueryMs, double QueryMedianMs, double QueryP99Ms, double QueryMaxMs) Writer(string path, int steps, int runs)
    {
        using var store = new LiteDbRunStore(path);
        for (int r = 0; r < runs; r++)
        {
            store.SaveRun(new StoredRun("run" + r, "bench", RunState.Running, "{}", r));
        }

        var sw = Stopwatch.StartNew();
        var writer = new StoreWriter(store, TimeSpan.FromMilliseconds(200), batchSize: 1000);
        int perRun = steps / runs;
        for (int s = 0; s < perRun; s++)
        {
            for (int r = 0; r < runs; r++)
            {
                var vt = writer.WriteAsync(StoreWrite.ForStep("run" + r, new StepRecord(s, 1.0 / (s + 1), null, 0.1, 0.5)));
                if (!vt.IsCompletedSuccessfully)
                {
                    vt.AsTask().GetAwaiter().GetResult();
                }
            }
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        double rate = steps / sw.Elapsed.TotalSeconds;
        long stored = Enumerable.Range(0, runs).Sum(r => store.CountSteps("run" + r));
        if (stored != (long)perRun * runs)
        {
            throw new InvalidOperationException($"lost steps: {stored} stored of {perRun * runs}");
        }

        var times = new List<double>();
        double first = 0;
        for (int i = 0; i <= QueryRepeats; i++)
        {
            var q = Stopwatch.StartNew();
            var got = store.GetSteps("run0", new StepQuery(From: perRun - 10_000));
            if (i == 0)
            {
                first = q.Elapsed.TotalMilliseconds;
            }
            else
            {
                times.Add(q.Elapsed.TotalMilliseconds);
            }

            if (got.Count != Math.Min(10_000, perRun))
            {
                throw new InvalidOperationException($"query returned {got.Count}");
            }
        }

        times.Sort();
        return (rate, first, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.99) - 1], times[^1]);
    }
}

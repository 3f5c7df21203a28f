using System.Diagnostics;
using System.Globalization;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.LrFinder;
using LrDoctor.Torch;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Bench;

/// <summary>
/// Does the range test's recommendation train as well as a grid search? For each model: run the range test, then train
/// with every suggestion and with each LR of a 9-point log grid for the same budget, and compare final validation losses.
/// </summary>
internal sealed class LrFinderBenchmark : IBenchmark
{
    private static readonly double[] Grid = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1.0];

    public string Name => "lr-finder";

    public string Description => "range-test suggestions vs a 9-point LR grid (val loss ratio, compute share); [--models mlp,cnn,transformer] [--seeds 1,2] [--budget N]";

    public int Run(string[] args)
    {
        set_num_threads(2);
        var models = Option(args, "--models", "mlp,cnn,transformer").Split(',');
        var seeds = Option(args, "--seeds", "1").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int budget = int.Parse(Option(args, "--budget", "300"), CultureInfo.InvariantCulture);
        string digits = Locate("data/digits.csv");
        string text = "/usr/share/common-licenses/GPL-3";
        Console.WriteLine($"LR range test benchmark: budget {budget} steps per training run, constant LR, grid {string.Join(", ", Grid.Select(F))}; range test 1e-7..10, 100 batches, exp");
        Console.WriteLine();
        Console.WriteLine("| model | seed | grid best LR | grid best val loss | rule | LR | val loss | ratio to grid best |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var summary = new List<string>();
        var ratios = new List<(string Model, string Rule, double Ratio)>();
        foreach (string model in models)
        {
            foreach (int seed in seeds)
            {
                var job = JobSpec.Parse(Job(model, seed, budget, digits, text));
                summary.Add(RunCase(model, seed, job, budget, ratios));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| model | seed | finder batches | grid batches | finder share of grid compute | finder s | grid s |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        summary.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| model | rule | ratio per seed | geometric mean ratio | worst |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var group in ratios.GroupBy(r => (r.Model, r.Rule)))
        {
            double[] values = [.. group.Select(r => r.Ratio)];
            double mean = Math.Exp(values.Average(v => Math.Log(v)));
            Console.WriteLine($"| {group.Key.Model} | {group.Key.Rule} | {string.Join(", ", values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))} | {mean:F3} | {values.Max():F3} |");
        }

        return 0;
    }

    private static string RunCase(string model, int seed, JobSpec job, int budget, List<(string Model, string Rule, double Ratio)> ratios)
    {
        var clock = Stopwatch.StartNew();
        LrFinderResult result;
        using (var setup = TrainingSetup.Create(job))
        {
            result = LrRangeTest.Run(setup, new LrFinderOptions());
        }

        double finderSeconds = clock.Elapsed.TotalSeconds;
        int finderBatches = result.Points.Count + (result.StopReason == LrFinderStopReasons.NonFinite ? 1 : 0);
        clock.Restart();
        var grid = Grid.ToDictionary(lr => lr, lr => Train(job, lr, budget));
        double gridSeconds = clock.Elapsed.TotalSeconds;
        var best = grid.MinBy(pair => pair.Value);
        Console.Error.WriteLine($"{model} seed {seed}: grid {string.Join(" ", grid.Select(p => $"{F(p.Key)}:{p.Value:F4}"))}");
        void Report(string rule, double? lr)
        {
            if (lr is not double value)
            {
                Console.WriteLine($"| {model} | {seed} | {F(best.Key)} | {best.Value:F4} | {rule} | - | - | - |");
                return;
            }

            double loss = Train(job, value, budget);
            ratios.Add((model, rule.StartsWith("recommended", StringComparison.Ordinal) ? "recommended" : rule, loss / best.Value));
            Console.WriteLine($"| {model} | {seed} | {F(best.Key)} | {best.Value:F4} | {rule} | {F(value)} | {loss:F4} | {loss / best.Value:F3} |");
        }

        Report("steep", result.Suggestions.Steep);
        Report("valley", result.Suggestions.Valley);
        Report("minimum/10", result.Suggestions.Minimum);
        Report($"recommended ({result.RecommendedRule})", result.Recommended);
        Report("divergenceLr", result.DivergenceLr);
        Report("fastai steep (EMA)", LrFinderFastaiBaseline.Steep(result.Points));
        Report("fastai valley (EMA)", LrFinderFastaiBaseline.Valley(result.Points));
        Report("fastai minimum/10 (EMA)", LrFinderFastaiBaseline.Minimum(result.Points));
        long gridBatches = (long)Grid.Length * budget;
        return $"| {model} | {seed} | {finderBatches} | {gridBatches} | {100.0 * finderBatches / gridBatches:F1}% | {finderSeconds:F1} | {gridSeconds:F1} |";
    }

    /// <summary>Trains a fresh copy of the job at a constant LR and returns the final validation loss (infinity when it blew up).</summary>
    private static double Train(JobSpec job, double lr, int budget)
    {
        using var setup = TrainingSetup.Create(job);
        setup.SetLearningRate(lr);
        setup.Model.train();
        for (int step = 0; step < budget; step++)
        {
            using var scope = NewDisposeScope();
            setup.Optimizer.zero_grad();
            var loss = setup.BatchLoss(setup.Batches.Next());
            if (!float.IsFinite(loss.item<float>()))
            {
                return double.PositiveInfinity;
            }

            loss.backward();
            if (job.GradClip is double clip)
            {
                nn.utils.clip_grad_norm_(setup.Parameters, clip);
            }

            setup.Optimizer.step();
        }

        double? val = setup.Evaluate().Loss;
        return val is double v && double.IsFinite(v) ? v : double.PositiveInfinity;
    }

    private static string Job(string model, int seed, int budget, string digits, string text) => model switch
    {
        "mlp" => $$"""
            {"name":"digits-mlp-sgd","model":{"type":"mlp","layers":[128,64]},"data":{"type":"digits","path":"{{digits}}"},
             "optimizer":{"type":"sgd","lr":0.1,"momentum":0.9},"steps":{{budget}},"batchSize":32,"seed":{{seed}}}
            """,
        "cnn" => $$"""
            {"name":"digits-cnn-adam","model":{"type":"cnn","channels":[16,32]},"data":{"type":"digits","path":"{{digits}}"},
             "optimizer":{"type":"adam","lr":0.001},"steps":{{budget}},"batchSize":32,"seed":{{seed}}}
            """,
        "transformer" => $$"""
            {"name":"text-transformer-adamw","model":{"type":"char_transformer","dModel":32,"heads":2,"blocks":2,"context":32},
             "data":{"type":"text","path":"{{text}}"},
             "optimizer":{"type":"adamw","lr":0.001,"weightDecay":0.01},"steps":{{budget}},"batchSize":32,"seed":{{seed}},"gradClip":1.0}
            """,
        _ => throw new ArgumentException($"unknown model '{model}' (mlp, cnn, transformer)"),
    };

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static string Locate(string relative)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"cannot find {relative} above {Directory.GetCurrentDirectory()}");
    }

    private static string F(double value) => value.ToString("0.##e+0", CultureInfo.InvariantCulture);
}

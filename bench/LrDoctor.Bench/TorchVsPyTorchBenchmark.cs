using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Bench;

/// <summary>TorchSharp vs PyTorch (Debian's python3-torch) on the same MLP step and thread count, as context for the engine's figures.</summary>
internal sealed class TorchVsPyTorchBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "torch-vs-pytorch";

    /// <inheritdoc/>
    public string Description => "784-256-256-10 MLP SGD step: bare TorchSharp loop vs /usr/bin/python3 + python3-torch (args: [steps] [rounds])";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        const int threads = 2;
        set_num_threads(threads);
        using var setup = TrainingSetup.Create(EngineBenchJobs.Mlp784(steps));
        BareTrainingLoop.SecondsPerStep(setup, 50);
        var sharp = Enumerable.Range(0, rounds).Select(_ => BareTrainingLoop.SecondsPerStep(setup, steps) * 1000).ToList();

        string script = FindScript();
        var start = new ProcessStartInfo("/usr/bin/python3", [script, steps.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        using var python = Process.Start(start) ?? throw new InvalidOperationException("cannot start /usr/bin/python3 (apt-get install python3-torch)");
        string output = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        if (python.ExitCode != 0)
        {
            Console.Error.WriteLine($"python side failed with exit code {python.ExitCode} (needs Debian's python3-torch)");
            return 1;
        }

        using var json = JsonDocument.Parse(output);
        var py = json.RootElement.GetProperty("msPerStep").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Console.WriteLine($"threads {threads}, {steps} steps x {rounds} rounds, batch 64; PyTorch {json.RootElement.GetProperty("torch").GetString()}, TorchSharp 0.107 (libtorch 2.10)");
        Console.WriteLine();
        Console.WriteLine("| side | ms per step (min) | ms per step (median) |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| TorchSharp bare loop | {sharp.Min():F3} | {BareTrainingLoop.Median(sharp):F3} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| PyTorch | {py.Min():F3} | {BareTrainingLoop.Median(py):F3} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio TorchSharp / PyTorch: {sharp.Min() / py.Min():F2} (min), {BareTrainingLoop.Median(sharp) / BareTrainingLoop.Median(py):F2} (median)"));
        return 0;
    }


    private static string FindScript()
    {
        foreach (string root in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "bench", "torch_vs_pytorch.py");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("bench/torch_vs_pytorch.py not found");
    }
}

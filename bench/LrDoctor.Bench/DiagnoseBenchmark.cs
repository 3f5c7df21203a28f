using System.Diagnostics;
using System.Globalization;
using System.Text;
using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Logs;

namespace LrDoctor.Bench;

/// <summary>End-to-end <c>lrdoctor diagnose</c> of a 1,000,000-step CSV (goal: under 2 s on the 2-core machine).</summary>
internal sealed class DiagnoseBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "diagnose";

    /// <inheritdoc />
    public string Description => "diagnose of a 1,000,000-step CSV: in-process and the real lrdoctor.dll process (goal < 2 s)";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var c = CultureInfo.InvariantCulture;
        string file = Path.Combine(Path.GetTempPath(), string.Create(c, $"lrdoctor-bench-{steps}.csv"));
        WriteCsv(file, steps);
        Console.WriteLine(string.Create(c, $"{steps:N0}-step CSV (step,train_loss,val_loss,lr,grad_norm,epoch; validation every 100 steps): {new FileInfo(file).Length / 1e6:F1} MB; best of 3"));
        Console.WriteLine();

        double naive = Best(() => NaiveParse(file));
        double inProcess = Best(() => Diagnose(file));
        string dll = Path.Combine(AppContext.BaseDirectory, "lrdoctor.dll");
        double process = Best(() => RunProcess(dll, file));
        double startup = Best(() => RunProcess(dll, "--version-probe-that-fails"));
        Console.WriteLine("| measurement | seconds | ns/row |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(c, $"| baseline: File.ReadLines + string.Split + double.Parse (parse only) | {naive:F3} | {naive * 1e9 / steps:F0} |"));
        Console.WriteLine(string.Create(c, $"| TrainingLog + LogDiagnostician in-process (parse + 6 detectors) | {inProcess:F3} | {inProcess * 1e9 / steps:F0} |"));
        Console.WriteLine(string.Create(c, $"| `dotnet lrdoctor.dll diagnose FILE --format json` (whole process) | {process:F3} | {process * 1e9 / steps:F0} |"));
        Console.WriteLine(string.Create(c, $"| `dotnet lrdoctor.dll` start-up alone (unknown command, exit 2) | {startup:F3} | |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"in-process diagnose is {naive / inProcess:F1}x faster than the naive parse alone; the process takes {process / 2:P0} of the 2 s goal"));
        File.Delete(file);
        return 0;
    }

    private static double Best(Action action)
    {
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static void Diagnose(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, true, 1 << 16);
        var diagnosis = LogDiagnostician.Diagnose(TrainingLog.Open(reader).ReadRecords());
        if (diagnosis.Steps == 0)
        {
            throw new InvalidOperationException("no steps");
        }
    }

    private static void NaiveParse(string file)
    {
        double sum = 0;
        foreach (string line in File.ReadLines(file).Skip(1))
        {
            foreach (string cell in line.Split(','))
            {
                if (cell.Length > 0)
                {
                    sum += double.Parse(cell, CultureInfo.InvariantCulture);
                }
            }
        }

        if (double.IsNaN(sum))
        {
            throw new InvalidOperationException("nan");
        }
    }

    private static void RunProcess(string dll, string fileOrCommand)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        if (fileOrCommand.StartsWith("--", StringComparison.Ordinal))
        {
            psi.ArgumentList.Add("no-such-command");
        }
        else
        {
            psi.ArgumentList.Add("diagnose");
            psi.ArgumentList.Add(fileOrCommand);
            psi.ArgumentList.Add("--format");
            psi.ArgumentList.Add("json");
        }

        using var process = Process.Start(psi)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }

    private static void WriteCsv(string file, int steps)
    {
        var records = SyntheticRun.Create(steps);
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("step,train_loss,val_loss,lr,grad_norm,epoch\n");
        foreach (var r in records)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{r.Step},{r.TrainLoss:R},{r.ValLoss:R},{r.Lr:R},{r.GradNorm:R},{r.Epoch:R}\n"));
        }
    }
}

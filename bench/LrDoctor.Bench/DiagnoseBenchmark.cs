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

        var naive = Best(() => Cpu(() => NaiveParse(file)));
        var parseOnly = Best(() => Cpu(() => ParseOnly(file)));
        var inProcess = Best(() => Cpu(() => Diagnose(file)));
        string dll = Path.Combine(AppContext.BaseDirectory, "lrdoctor.dll");
        var process = Best(() => RunProcess(dll, file));
        var startup = Best(() => RunProcess(dll, "--version-probe-that-fails"));
        Console.WriteLine("| measurement | wall s | CPU s | CPU ns/row |");
        Console.WriteLine("|---|---:|---:|---:|");
        Row("baseline: File.ReadLines + string.Split + double.Parse (parse only)", naive, steps);
        Row("TrainingLog.ReadRecords in-process (parse only)", parseOnly, steps);
        Row("TrainingLog + LogDiagnostician in-process (parse + 6 detectors)", inProcess, steps);
        Row("`dotnet lrdoctor.dll diagnose FILE --format json` (whole process)", process, steps);
        Row("`dotnet lrdoctor.dll` start-up alone (unknown command, exit 2)", startup, steps);
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"parsing is {naive.Cpu / parseOnly.Cpu:F1}x as fast as the naive parse (CPU); the detectors add {(inProcess.Cpu - parseOnly.Cpu) * 1e9 / steps:F0} ns/row; the process takes {process.Wall:F2} s wall, {process.Cpu:F2} s CPU (goal 2 s); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        File.Delete(file);
        return 0;
    }

    private static (double Wall, double Cpu) Best(Func<(double Wall, double Cpu)> action)
    {
        (double Wall, double Cpu) best = (double.MaxValue, double.MaxValue);
        for (int i = 0; i < 3; i++)
        {
            var run = action();
            best = (Math.Min(best.Wall, run.Wall), Math.Min(best.Cpu, run.Cpu));
        }

        return best;
    }

    /// <summary>Runs in-process: wall time and the process's CPU time (all threads, GC included).</summary>
    private static (double Wall, double Cpu) Cpu(Action action)
    {
        var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        watch.Stop();
        self.Refresh();
        return (watch.Elapsed.TotalSeconds, (self.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static void Row(string name, (double Wall, double Cpu) t, int steps) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {t.Wall:F3} | {t.Cpu:F3} | {t.Cpu * 1e9 / steps:F0} |"));

    private static void Diagnose(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, true, 1 << 16);
        var diagnosis = LogDiagnostician.Diagnose(TrainingLog.Open(reader).ReadRecords());
        if (diagnosis.Steps == 0)
        {
            throw new InvalidOperationException("no steps");
        }
    }

    private static void ParseOnly(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, true, 1 << 16);
        long count = 0;
        foreach (var record in TrainingLog.Open(reader).ReadRecords())
        {
            count += record.Step;
        }

        if (count < 0)
        {
            throw new InvalidOperationException("overflow");
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

    private static (double Wall, double Cpu) RunProcess(string dll, string fileOrCommand)
    {
        // /usr/bin/time reports the child's CPU time (user + system), which a loaded machine does not inflate as it does wall time.
        string times = Path.GetTempFileName();
        var watch = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-f", "%U %S", "-o", times, "dotnet", dll })
        {
            psi.ArgumentList.Add(a);
        }

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
        double wall = watch.Elapsed.TotalSeconds;
        string[] cpu = File.ReadAllText(times).Trim().Split('\n')[^1].Split(' ');
        File.Delete(times);
        return (wall, double.Parse(cpu[0], CultureInfo.InvariantCulture) + double.Parse(cpu[1], CultureInfo.InvariantCulture));
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

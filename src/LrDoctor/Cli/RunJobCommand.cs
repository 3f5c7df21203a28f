using System.Globalization;
using System.Text.Json;
using LrDoctor.Core;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.Json;
using LrDoctor.Core.Runs;
using LrDoctor.Torch;
using Spectre.Console;

namespace LrDoctor.Cli;

/// <summary><c>lrdoctor run JOB.json [--out run.csv] [--format text|json] [--threads N]</c>: trains a job in the foreground with the doctor in the loop.</summary>
internal static class RunJobCommand
{
    /// <summary>Runs the command.</summary>
    /// <returns>0 when the run completed, 1 when it failed or was stopped, 2 on bad input.</returns>
    public static int Run(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        if (args.Positionals.Count != 1)
        {
            throw new CliException("run: expected one job file: lrdoctor run JOB.json [--out run.csv] [--format text|json]");
        }

        string jobPath = args.Positionals[0];
        string format = args.Choice("format", "text", "text", "json");
        string? outPath = args.String("out");
        int? threads = (int?)args.Long("threads");
        args.RejectUnknown();
        var job = ReadJob(jobPath);

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        StreamWriter? csv = null;
        try
        {
            var sinks = new List<IRunSink>();
            if (outPath is not null)
            {
                try
                {
                    csv = new StreamWriter(outPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"run: cannot write --out '{outPath}': {e.Message}");
                }

                sinks.Add(new DiagnoseCsvSink(csv));
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
            var progress = new ProgressSink();
            sinks.Add(progress);
            RunSummary summary;
            var options = new TrainingRunOptions { RunId = job.Name, Threads = threads, JobDirectory = Path.GetDirectoryName(Path.GetFullPath(jobPath)) };
            using (var run = Create(job, new FanOutRunSink(sinks), options, jobPath))
            {
                summary = format == "json" || !console.Profile.Capabilities.Interactive
                    ? run.Run(cancel.Token)
                    : RunWithProgress(console, run, progress, cancel.Token);
            }

            if (format == "json")
            {
                stdout.WriteLine(JsonSerializer.Serialize(summary, LrDoctorJson.Options));
            }
            else
            {
                RunReport.Write(console, summary, progress.Advice);
            }

            return summary.State == RunState.Completed ? 0 : 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            csv?.Dispose();
        }
    }

    private static JobSpec ReadJob(string jobPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(jobPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"run: cannot read job file '{jobPath}': {e.Message}");
        }

        try
        {
            return JobSpec.Parse(text);
        }
        catch (SpecException e)
        {
            throw new CliException($"run: {jobPath}: {e.Message}");
        }
    }

    private static TrainingRun Create(JobSpec job, IRunSink sink, TrainingRunOptions options, string jobPath)
    {
        try
        {
            return TrainingRun.Create(job, sink, options);
        }
        catch (SpecException e)
        {
            throw new CliException($"run: {jobPath}: {e.Message}");
        }
    }

    private static RunSummary RunWithProgress(IAnsiConsole console, TrainingRun run, ProgressSink progress, CancellationToken ct)
    {
        RunSummary? summary = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(run.RunId, maxValue: run.TotalSteps);
                progress.OnRecord = record =>
                {
                    if (record.Step % 10 == 0 || record.Step == run.TotalSteps - 1)
                    {
                        task.Value = record.Step + 1;
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"step {record.Step + 1}/{run.TotalSteps}  loss {record.TrainLoss:G4}  lr {record.Lr:G3}");
                    }
                };
                summary = run.Run(ct);
                task.Value = run.Step;
            });
        return summary!;
    }
}

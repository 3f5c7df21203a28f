using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LrDoctor.Core;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.Json;
using LrDoctor.Core.LrFinder;
using LrDoctor.Plotting;
using LrDoctor.Torch;
using Spectre.Console;

namespace LrDoctor.Cli;

/// <summary><c>lrdoctor find-lr JOB.json</c>: runs the LR range test on a job and reports every suggestion, the recommended LR and where the loss starts to rise.</summary>
internal static class FindLrCommand
{
    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments after <c>find-lr</c>.</param>
    /// <param name="stdout">Where the report goes.</param>
    /// <returns>0 when the test ran; 1 when <c>--apply</c> was asked but there is nothing to apply.</returns>
    /// <exception cref="CliException">Bad arguments, an unreadable or invalid job.</exception>
    public static int Run(CliArgs args, TextWriter stdout) => Run(args, stdout, Console.Error, showProgress: !Console.IsErrorRedirected);

    /// <summary>Runs the command with explicit streams.</summary>
    internal static int Run(CliArgs args, TextWriter stdout, TextWriter stderr, bool showProgress)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var defaults = new LrFinderOptions();
        long steps = args.Long("steps", defaults.Steps)!.Value;
        var options = new LrFinderOptions
        {
            MinLr = args.Double("min", defaults.MinLr)!.Value,
            MaxLr = args.Double("max", defaults.MaxLr)!.Value,
            Steps = (int)Math.Clamp(steps, int.MinValue, int.MaxValue),
            Mode = args.Choice("mode", "exp", "exp", "linear") == "linear" ? LrRampMode.Linear : LrRampMode.Exponential,
            DivergenceFactor = args.Double("stop-factor", defaults.DivergenceFactor)!.Value,
        };
        string format = args.Choice("format", "text", "text", "json");
        string? plotPath = args.String("plot");
        bool apply = args.Has("apply");
        args.RejectUnknown();
        if (args.Positionals.Count != 1)
        {
            throw new CliException("find-lr: expected exactly one job file (find-lr JOB.json)");
        }

        try
        {
            options.Validate();
        }
        catch (SpecException e)
        {
            string option = e.Field == "divergenceFactor" ? "stop-factor" : e.Field;
            throw new CliException($"find-lr: --{option} {e.Problem}");
        }

        string jobPath = args.Positionals[0];
        (JobSpec job, string jobJson) = ReadJob(jobPath);
        string jobDirectory = Path.GetDirectoryName(Path.GetFullPath(jobPath))!;
        LrFinderResult result;
        try
        {
            result = showProgress ? RunWithProgress(job, options, jobDirectory, stderr) : LrRangeTest.Run(job, options, jobDirectory);
        }
        catch (SpecException e)
        {
            throw new CliException($"find-lr: {jobPath}: {e.Message}");
        }

        var notes = format == "json" ? stderr : stdout;
        if (format == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(result, LrDoctorJson.Indented));
        }
        else
        {
            WriteText(stdout, job, options, result);
        }

        if (plotPath is not null)
        {
            SavePlot(result, plotPath, job.Name);
            notes.WriteLine($"plot: {plotPath}");
        }

        if (apply)
        {
            if (result.Recommended is not double lr)
            {
                stderr.WriteLine("lrdoctor: find-lr: nothing to apply: the loss never fell clearly over the range; try a lower --min or more --steps");
                return 1;
            }

            string tuned = Apply(jobPath, jobJson, job, lr);
            notes.WriteLine($"applied: {tuned} (optimizer.lr = {Format(lr * job.Optimizer.Lr / job.ScaledLr).TrimEnd()})");
        }

        return 0;
    }

    /// <summary>Writes a copy of the job with the recommended LR as <c>optimizer.lr</c>, next to the job, and returns its path.</summary>
    /// <remarks>
    /// The ramp drives the LR the optimizer really uses; a job with batch scaling multiplies <c>optimizer.lr</c> by its factor, so the
    /// written value is divided by it. The copy no longer asks for a range test: its LR is the answer to one.
    /// </remarks>
    internal static string Apply(string jobPath, string jobJson, JobSpec job, double recommendedLr)
    {
        var root = JsonNode.Parse(jobJson, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        var optimizer = root["optimizer"]!.AsObject();
        optimizer["lr"] = recommendedLr * job.Optimizer.Lr / job.ScaledLr;
        if (root.ContainsKey("findLr"))
        {
            root["findLr"] = false;
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(jobPath))!;
        string tuned = Path.Combine(directory, Path.GetFileNameWithoutExtension(jobPath) + ".findlr.json");
        try
        {
            File.WriteAllText(tuned, root.ToJsonString(LrDoctorJson.Indented) + Environment.NewLine);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"find-lr: cannot write {tuned}: {e.Message}");
        }

        return tuned;
    }

    private static (JobSpec Job, string Json) ReadJob(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"find-lr: cannot read job file {path}: {e.Message}");
        }

        try
        {
            return (JobSpec.Parse(json), json);
        }
        catch (SpecException e)
        {
            throw new CliException($"find-lr: {path}: {e.Message}");
        }
    }

    private static LrFinderResult RunWithProgress(JobSpec job, LrFinderOptions options, string jobDirectory, TextWriter stderr)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
        LrFinderResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Start(context =>
            {
                var task = context.AddTask("LR range test", maxValue: options.Steps);
                result = LrRangeTest.Run(job, options, jobDirectory, done => task.Value = done);
                task.Value = options.Steps;
            });
        return result!;
    }

    private static void SavePlot(LrFinderResult result, string path, string title)
    {
        try
        {
            LrFinderPlot.Save(result, path, title);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"find-lr: cannot write plot {path}: {e.Message}");
        }
    }

    private static void WriteText(TextWriter output, JobSpec job, LrFinderOptions options, LrFinderResult result)
    {
        string mode = options.Mode == LrRampMode.Linear ? "linear" : "exp";
        string ending = result.StopReason switch
        {
            LrFinderStopReasons.Diverged => $"stopped early at batch {result.Points.Count}: the smoothed loss passed {options.DivergenceFactor}x its best",
            LrFinderStopReasons.NonFinite => $"stopped early at batch {result.Points.Count + 1}: the loss was not finite (only the finite batches are used)",
            _ => $"all {result.Points.Count} batches",
        };
        output.WriteLine($"LR range test of '{job.Name}': {Format(options.MinLr).TrimEnd()} -> {Format(options.MaxLr).TrimEnd()} ({mode}, {options.Steps} batches), {ending}, {result.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        output.WriteLine($"  steep        {Format(result.Suggestions.Steep)}   steepest descent of the loss");
        output.WriteLine($"  valley       {Format(result.Suggestions.Valley)}   halfway down the longest descent");
        output.WriteLine($"  minimum/10   {Format(result.Suggestions.Minimum)}   a tenth of the LR of the lowest loss");
        output.WriteLine($"  recommended  {Format(result.Recommended)}   {(result.RecommendedRule is null ? "no clear descent: lower --min or widen the range" : $"({result.RecommendedRule})")}");
        output.WriteLine($"  loss rises   {Format(result.DivergenceLr)}   {(result.DivergenceLr is null ? "the loss never rose: raise --max to see the ceiling" : "ceiling for any LR increase")}");
    }

    private static string Format(double? value) =>
        value is double v ? v.ToString("0.###e+0", CultureInfo.InvariantCulture).PadRight(10) : "-".PadRight(10);
}

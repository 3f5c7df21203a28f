using System.Globalization;
using System.Text.Json;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Json;
using LrDoctor.Core.Logs;
using LrDoctor.Core.Records;
using LrDoctor.Plotting;

namespace LrDoctor.Cli;

/// <summary><c>lrdoctor diagnose FILE|FOLDER [--format text|json] [--plot FILE.png]</c>: says what is wrong with the LR of a training log from any framework.</summary>
/// <remarks>
/// Streams the log through the detectors, so a log of millions of steps needs no more memory than its findings (the
/// records are kept only for <c>--plot</c>). The layout is recognised from the content. A folder is searched for the
/// logs under it (<see cref="LogDiscovery"/>): one report per run and a summary table. Exit 0 when a log was diagnosed,
/// findings or not; exit 2 with one line on stderr naming the file (and the line) when it cannot be read, and under
/// <c>--format json</c> the same error as a JSON object on stdout.
/// </remarks>
internal static class DiagnoseCommand
{
    private const string Usage = "usage: lrdoctor diagnose FILE|FOLDER [--format text|json] [--plot FILE.png]";

    /// <summary>Runs the command.</summary>
    /// <param name="args">The parsed arguments.</param>
    /// <param name="stdout">Where the diagnosis goes.</param>
    /// <returns>The exit code.</returns>
    public static int Run(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        string format = args.Choice("format", "text", "text", "json");
        string? plotPath = args.String("plot");
        args.RejectUnknown();
        if (args.Positionals.Count != 1)
        {
            throw new CliException($"diagnose: expected one log file or folder, got {args.Positionals.Count}; {Usage}");
        }

        string path = args.Positionals[0];
        if (Directory.Exists(path))
        {
            if (plotPath is not null)
            {
                throw Fail(stdout, format, path, null, "--plot takes one log file, not a folder");
            }

            return RunFolder(path, format, stdout);
        }

        var records = plotPath is null ? null : new List<StepRecord>();
        Report report;
        try
        {
            report = Diagnose(path, path, records);
        }
        catch (LogFormatException e)
        {
            throw Fail(stdout, format, path, e.Line, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fail(stdout, format, path, null, $"cannot read it ({OneLine(e.Message)})");
        }

        if (plotPath is not null)
        {
            try
            {
                DiagnosisPlot.Save(plotPath, Path.GetFileName(path), records!, report.Diagnosis);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Fail(stdout, format, path, null, $"cannot write the plot {plotPath} ({OneLine(e.Message)})");
            }
        }

        if (format == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(report.ToJson(), LrDoctorJson.Options));
        }
        else
        {
            WriteText(stdout, report);
            if (plotPath is not null)
            {
                stdout.WriteLine();
                stdout.WriteLine($"plot: {plotPath}");
            }
        }

        return 0;
    }

    /// <summary>Diagnoses one file: read once streaming, again keeping the latest attempts when the steps go back (a resume).</summary>
    /// <param name="file">The file.</param>
    /// <param name="name">How to name it in the report.</param>
    /// <param name="records">Where to keep the records (for a plot), or <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    internal static Report Diagnose(string file, string name, List<StepRecord>? records)
    {
        try
        {
            return Read(file, name, records, keepLatestAttempt: false);
        }
        catch (LogFormatException e) when (e.StepsGoBack)
        {
            records?.Clear();
            return Read(file, name, records, keepLatestAttempt: true);
        }
    }

    private static Report Read(string file, string name, List<StepRecord>? records, bool keepLatestAttempt)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        var log = TrainingLog.Open(stream);
        string unit = log.StepSource == LogStepSource.Epoch ? "epoch" : "step";
        var diagnosis = LogDiagnostician.Diagnose(log.ReadRecords(keepLatestAttempt), observe: records is null ? null : records.Add, unit: unit);
        // A text log knows whether its entries are epochs only once it has been read.
        unit = log.StepSource == LogStepSource.Epoch ? "epoch" : "step";
        return new Report(name, log.Format, log.StepSource, log.Note, diagnosis with { Unit = unit }, log.Resumes);
    }

    private static int RunFolder(string folder, string format, TextWriter stdout)
    {
        var found = LogDiscovery.Find(folder);
        var reports = new List<Report>();
        var skipped = new List<Skipped>();
        foreach (string file in found)
        {
            string name = Path.GetRelativePath(folder, file);
            try
            {
                reports.Add(Diagnose(file, name, null));
            }
            catch (LogFormatException e)
            {
                skipped.Add(new Skipped(name, e.Message));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped.Add(new Skipped(name, $"cannot read it ({OneLine(e.Message)})"));
            }
        }

        if (reports.Count == 0)
        {
            string why = found.Count == 0
                ? $"no training log found under it (looked for {LogDiscovery.Patterns})"
                : $"none of the {found.Count} candidate file(s) is a log LrDoctor reads ({string.Join("; ", skipped.Select(s => $"{s.File}: {s.Error}"))})";
            throw Fail(stdout, format, folder, null, why);
        }

        if (format == "json")
        {
            var json = new FolderJson(folder, reports.Select(r => r.ToJson()).ToList(), skipped);
            stdout.WriteLine(JsonSerializer.Serialize(json, LrDoctorJson.Options));
            return 0;
        }

        foreach (var report in reports)
        {
            WriteText(stdout, report);
            stdout.WriteLine();
            stdout.WriteLine(new string('-', 72));
        }

        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"Summary: {reports.Count} run(s) under {folder}"));
        int width = Math.Max(3, reports.Max(r => r.File.Length));
        stdout.WriteLine($"  {"run".PadRight(width)}  {"format",-28} {"entries",-14} verdict");
        foreach (var r in reports)
        {
            string entries = string.Create(c, $"{r.Diagnosis.TrainEntries:N0} {r.Diagnosis.Unit}s");
            stdout.WriteLine($"  {r.File.PadRight(width)}  {FormatName(r.Format),-28} {entries,-14} {Short(r.Diagnosis)}");
        }

        foreach (var s in skipped)
        {
            stdout.WriteLine($"  skipped {s.File}: {s.Error}");
        }

        return 0;
    }

    private static string Short(LogDiagnosis diagnosis)
    {
        if (diagnosis.Findings.Count == 0)
        {
            return "healthy";
        }

        var worst = diagnosis.Findings.MaxBy(f => f.Severity)!;
        return string.Create(CultureInfo.InvariantCulture, $"{Lower(worst.Severity)}: {string.Join(", ", diagnosis.Findings.Select(f => f.Symptom).Distinct())} (from {diagnosis.Unit} {worst.OnsetStep})");
    }

    /// <summary>Writes the error as JSON on stdout under <c>--format json</c>, and returns the exception that puts it on stderr with exit code 2.</summary>
    private static CliException Fail(TextWriter stdout, string format, string file, long? line, string message)
    {
        if (format == "json")
        {
            var error = new ErrorJson(file, message, line is > 0 ? line : null);
            stdout.WriteLine(JsonSerializer.Serialize(error, LrDoctorJson.Options));
        }

        return new CliException($"diagnose: {file}: {message}");
    }

    private static void WriteText(TextWriter output, Report report)
    {
        var c = CultureInfo.InvariantCulture;
        var diagnosis = report.Diagnosis;
        output.WriteLine($"{report.File}: {FormatName(report.Format)}, {diagnosis.Counted}; columns: {string.Join(", ", diagnosis.Columns)}");
        if (StepNote(report.StepSource) is { } stepNote)
        {
            output.WriteLine(stepNote);
        }

        if (report.Note is not null)
        {
            output.WriteLine($"Read as: {report.Note}.");
        }

        if (report.Resumes.Count > 0)
        {
            string where = string.Join("; ", report.Resumes.Select(r => string.Create(c, $"line {r.Line}: step {r.FromStep} back to {r.ToStep}")));
            output.WriteLine($"Resumed run: the log goes back {report.Resumes.Count} time(s) ({where}); each repeated step is diagnosed from its last attempt.");
        }

        output.WriteLine();
        output.WriteLine($"Verdict: {diagnosis.Verdict}");
        string unit = diagnosis.Unit;
        if (diagnosis.Findings.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("  #  symptom                onset  confirmed  severity");
            int n = 0;
            foreach (var f in diagnosis.Findings)
            {
                output.WriteLine(string.Create(c, $"  {++n,-2} {f.Symptom,-22} {f.OnsetStep,6} {f.DetectedStep,10}  {Lower(f.Severity)}"));
            }

            n = 0;
            foreach (var f in diagnosis.Findings)
            {
                output.WriteLine();
                output.WriteLine(string.Create(c, $"{++n}. {f.Symptom}: {Verdicts.Describe(f.Symptom)} from {unit} {f.OnsetStep} ({Lower(f.Severity)}; confirmed at {unit} {f.DetectedStep})"));
                output.WriteLine($"   cause:    {f.Cause}");
                output.WriteLine($"   action:   {f.Action}");
                output.WriteLine($"   evidence: {string.Join(", ", f.Evidence.Select(e => string.Create(c, $"{e.Key}={e.Value:G4}")))}");
            }
        }

        foreach (var hint in diagnosis.Hints)
        {
            output.WriteLine();
            output.WriteLine($"info: {hint.Kind}: {hint.Message}");
        }
    }

    private static string? StepNote(LogStepSource source) => source switch
    {
        LogStepSource.Epoch => "The log has one entry per epoch and no step: epochs are counted, and onsets are epochs.",
        LogStepSource.BatchCounter => "The log counts batches within each epoch: the step is rebuilt as the running batch count.",
        LogStepSource.LineOrder => "The log names no step: the step is the number of the training line, in file order.",
        _ => null,
    };

    private static string Lower(Severity severity) => severity == Severity.Critical ? "critical" : "warning";

    private static string FormatName(LogFormat format) => format switch
    {
        LogFormat.Csv => "CSV",
        LogFormat.EpochCsv => "CSV per epoch (Keras; epoch as step)",
        LogFormat.JsonLines => "JSON Lines",
        LogFormat.TrainerState => "Hugging Face trainer_state.json",
        LogFormat.Text => "text log",
        LogFormat.TensorBoard => "TensorBoard event file",
        LogFormat.Ultralytics => "Ultralytics results.csv",
        LogFormat.LlamaFactory => "LLaMA-Factory trainer_log.jsonl",
        LogFormat.EpochJsonLines => "JSON Lines per epoch (DETR log.txt)",
        LogFormat.KerasHistory => "Keras history JSON",
        LogFormat.Mmengine => "mmengine scalars.json",
        _ => format.ToString(),
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>The diagnosis of one log with what the command knows about how it was read.</summary>
    internal sealed record Report(string File, LogFormat Format, LogStepSource StepSource, string? Note, LogDiagnosis Diagnosis, IReadOnlyList<LogResume> Resumes)
    {
        /// <summary>Gets the JSON output of the report.</summary>
        /// <returns>The object to serialise.</returns>
        public ReportJson ToJson() => new(
            File,
            FormatName(Format),
            Diagnosis.Steps,
            Diagnosis.FirstStep,
            Diagnosis.LastStep,
            Diagnosis.Unit,
            StepSource,
            Diagnosis.TrainEntries,
            Diagnosis.Every,
            Diagnosis.Counted,
            Note,
            Diagnosis.Verdict,
            Diagnosis.Findings,
            Diagnosis.Hints,
            Resumes);
    }

    /// <summary>The JSON output for one log.</summary>
    internal sealed record ReportJson(
        string File,
        string Format,
        long Steps,
        long FirstStep,
        long LastStep,
        string Unit,
        LogStepSource StepSource,
        long TrainEntries,
        long Every,
        string Counted,
        string? Note,
        string Verdict,
        IReadOnlyList<Finding> Findings,
        IReadOnlyList<LogHint> Info,
        IReadOnlyList<LogResume> Resumes);

    /// <summary>The JSON output for a folder.</summary>
    private sealed record FolderJson(string Folder, IReadOnlyList<ReportJson> Runs, IReadOnlyList<Skipped> Skipped);

    /// <summary>A file found in a folder that could not be diagnosed.</summary>
    private sealed record Skipped(string File, string Error);

    /// <summary>The JSON output of a refusal.</summary>
    private sealed record ErrorJson(string File, string Error, long? Line);
}

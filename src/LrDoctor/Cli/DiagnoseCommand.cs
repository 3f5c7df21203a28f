using System.Globalization;
using System.Text;
using System.Text.Json;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Json;
using LrDoctor.Core.Logs;
using LrDoctor.Core.Records;
using LrDoctor.Plotting;

namespace LrDoctor.Cli;

/// <summary><c>lrdoctor diagnose FILE [--format text|json] [--plot FILE.png]</c>: says what is wrong with the LR of a training log from any framework.</summary>
/// <remarks>
/// Streams the log through the detectors, so a log of millions of steps needs no more memory than its findings (the
/// records are kept only for <c>--plot</c>). Exit 0 when the log was diagnosed, findings or not; exit 2 with one line on
/// stderr naming the file (and the line) when it cannot be read.
/// </remarks>
internal static class DiagnoseCommand
{
    private const string Usage = "usage: lrdoctor diagnose FILE [--format text|json] [--plot FILE.png]";

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
            throw new CliException($"diagnose: expected one log file, got {args.Positionals.Count}; {Usage}");
        }

        string file = args.Positionals[0];
        var records = plotPath is null ? null : new List<StepRecord>();
        LogDiagnosis diagnosis;
        LogFormat logFormat;
        IReadOnlyList<LogResume> resumes;
        try
        {
            try
            {
                (diagnosis, logFormat, resumes) = Diagnose(file, records, keepLatestAttempt: false);
            }
            catch (LogFormatException e) when (e.StepsGoBack)
            {
                // A resumed run's log: read it again, buffered, keeping the last attempt of every repeated step.
                records?.Clear();
                (diagnosis, logFormat, resumes) = Diagnose(file, records, keepLatestAttempt: true);
            }
        }
        catch (LogFormatException e)
        {
            throw new CliException($"diagnose: {file}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"diagnose: {file}: cannot read it ({OneLine(e.Message)})");
        }

        if (plotPath is not null)
        {
            try
            {
                DiagnosisPlot.Save(plotPath, Path.GetFileName(file), records!, diagnosis);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"diagnose: cannot write the plot {plotPath} ({OneLine(e.Message)})");
            }
        }

        if (format == "json")
        {
            var report = new Report(file, FormatName(logFormat), diagnosis.Steps, diagnosis.FirstStep, diagnosis.LastStep, diagnosis.Verdict, diagnosis.Findings, resumes);
            stdout.WriteLine(JsonSerializer.Serialize(report, LrDoctorJson.Options));
        }
        else
        {
            WriteText(stdout, file, logFormat, diagnosis, resumes, plotPath);
        }

        return 0;
    }

    private static (LogDiagnosis Diagnosis, LogFormat Format, IReadOnlyList<LogResume> Resumes) Diagnose(string file, List<StepRecord>? records, bool keepLatestAttempt)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var log = TrainingLog.Open(reader);
        var diagnosis = LogDiagnostician.Diagnose(log.ReadRecords(keepLatestAttempt), observe: records is null ? null : records.Add);
        return (diagnosis, log.Format, log.Resumes);
    }

    private static void WriteText(TextWriter output, string file, LogFormat format, LogDiagnosis diagnosis, IReadOnlyList<LogResume> resumes, string? plotPath)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{file}: {FormatName(format)}, {diagnosis.Steps} steps ({diagnosis.FirstStep}..{diagnosis.LastStep}); columns: {string.Join(", ", diagnosis.Columns)}"));
        if (resumes.Count > 0)
        {
            string where = string.Join("; ", resumes.Select(r => string.Create(c, $"line {r.Line}: step {r.FromStep} back to {r.ToStep}")));
            output.WriteLine($"Resumed run: the log goes back {resumes.Count} time(s) ({where}); each repeated step is diagnosed from its last attempt.");
        }

        output.WriteLine();
        output.WriteLine($"Verdict: {diagnosis.Verdict}");
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
                output.WriteLine(string.Create(c, $"{++n}. {f.Symptom}: {Verdicts.Describe(f.Symptom)} from step {f.OnsetStep} ({Lower(f.Severity)}; confirmed at step {f.DetectedStep})"));
                output.WriteLine($"   cause:    {f.Cause}");
                output.WriteLine($"   action:   {f.Action}");
                output.WriteLine($"   evidence: {string.Join(", ", f.Evidence.Select(e => string.Create(c, $"{e.Key}={e.Value:G4}")))}");
            }
        }

        if (plotPath is not null)
        {
            output.WriteLine();
            output.WriteLine($"plot: {plotPath}");
        }
    }

    private static string Lower(Severity severity) => severity == Severity.Critical ? "critical" : "warning";

    private static string FormatName(LogFormat format) => format switch
    {
        LogFormat.Csv => "CSV",
        LogFormat.EpochCsv => "CSV per epoch (Keras; epoch as step)",
        LogFormat.JsonLines => "JSON Lines",
        LogFormat.TrainerState => "Hugging Face trainer_state.json",
        _ => format.ToString(),
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>The JSON output of the command.</summary>
    private sealed record Report(string File, string Format, long Steps, long FirstStep, long LastStep, string Verdict, IReadOnlyList<Finding> Findings, IReadOnlyList<LogResume> Resumes);
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LrDoctor.Core;
using LrDoctor.Core.Schedules;
using LrDoctor.Plotting;

namespace LrDoctor.Cli;

/// <summary><c>lrdoctor schedule --spec JSON --base-lr X --steps N [--format csv|json] [--plot FILE.png]</c>: prints a schedule step by step.</summary>
/// <remarks>Row t is the learning rate the optimizer uses for step t; values are printed round-trip exact.</remarks>
internal static class ScheduleCommand
{
    private const int FlushChars = 1 << 16;

    /// <summary>The most points drawn per curve; longer schedules are sampled evenly.</summary>
    private const long MaxPlotPoints = 200_000;

    /// <summary>Runs the command.</summary>
    public static int Run(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);

        string specText = args.Required("spec");
        double baseLr = args.Double("base-lr") ?? throw new CliException("schedule: missing required option --base-lr");
        long steps = args.Long("steps") ?? throw new CliException("schedule: missing required option --steps");
        string format = args.Choice("format", "csv", "csv", "json");
        string? plotPath = args.String("plot");
        args.RejectUnknown();
        if (args.Positionals.Count > 0)
        {
            throw new CliException($"schedule: unexpected argument '{args.Positionals[0]}'");
        }

        if (baseLr <= 0)
        {
            throw new CliException($"schedule: --base-lr must be positive, got {Format(baseLr)}");
        }

        if (steps < 1)
        {
            throw new CliException($"schedule: --steps must be at least 1, got {steps}");
        }

        if (plotPath is { Length: 0 })
        {
            throw new CliException("schedule: --plot needs a file name");
        }

        using JsonDocument spec = ParseSpec(specText);
        ILrSchedule schedule;
        try
        {
            schedule = ScheduleFactory.Create(spec.RootElement, baseLr);
        }
        catch (SpecException e)
        {
            throw new CliException($"schedule: {e.Message}");
        }

        if (format == "json")
        {
            WriteJson(stdout, spec.RootElement, baseLr, schedule, steps);
        }
        else
        {
            WriteCsv(stdout, schedule, steps);
        }

        if (plotPath is not null)
        {
            Plot(plotPath, spec.RootElement, baseLr, schedule, steps);
        }

        return 0;
    }

    private static JsonDocument ParseSpec(string text)
    {
        string source = "--spec";
        string trimmed = text.TrimStart();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith('['))
        {
            // Not inline JSON: a file name (optionally written @file.json).
            string path = trimmed.StartsWith('@') ? trimmed[1..] : text;
            source = $"spec file '{path}'";
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new CliException($"schedule: --spec is neither a JSON object nor a readable file: '{path}' ({e.Message})");
            }
        }

        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            long position = (e.BytePositionInLine ?? 0) + 1;
            if (NonFiniteLiteral(text, e) is { } field)
            {
                throw new CliException($"schedule: {source}: field \"{field.Name}\" must be a finite number, got {field.Literal} (line {line}, position {position})");
            }

            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = cut > 0 ? reason[..cut] : reason;
            throw new CliException($"schedule: {source} is not valid JSON at line {line}, position {position}: {reason}");
        }
    }

    /// <summary>Recognises a bare NaN or Infinity (not JSON, but what Python's json.dumps writes) and the field it was given for.</summary>
    private static (string Name, string Literal)? NonFiniteLiteral(string text, JsonException e)
    {
        if (e.LineNumber is not { } lineIndex || e.BytePositionInLine is not { } column)
        {
            return null;
        }

        string[] lines = text.Split('\n');
        if (lineIndex >= lines.Length)
        {
            return null;
        }

        string line = lines[lineIndex];
        int at = (int)Math.Min(column, line.Length);
        if (at > 0 && line[at - 1] == '-')
        {
            at--; // the reader stops after the sign of -Infinity
        }

        Match literal = Regex.Match(line[at..], @"^-?(NaN|Infinity|nan|inf)\b");
        Match name = Regex.Match(string.Join('\n', lines[..(int)lineIndex]) + '\n' + line[..at], "\"([^\"]+)\"\\s*:\\s*$");
        return literal.Success && name.Success ? (name.Groups[1].Value, literal.Value) : null;
    }

    private static void WriteCsv(TextWriter stdout, ILrSchedule schedule, long steps)
    {
        bool momentum = schedule.CyclesMomentum;
        var sb = new StringBuilder(FlushChars + 256);
        sb.Append(momentum ? "step,lr,momentum\n" : "step,lr\n");
        for (long t = 0; t < steps; t++)
        {
            sb.Append(t.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Format(schedule.LearningRate(t)));
            if (momentum)
            {
                sb.Append(',').Append(Format(schedule.Momentum(t) ?? double.NaN));
            }

            sb.Append('\n');
            if (sb.Length >= FlushChars)
            {
                stdout.Write(sb);
                sb.Clear();
            }
        }

        stdout.Write(sb);
        stdout.Flush();
    }

    private static void WriteJson(TextWriter stdout, JsonElement spec, double baseLr, ILrSchedule schedule, long steps)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushChars * 2);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WritePropertyName("spec");
            spec.WriteTo(json);
            json.WritePropertyName("baseLr");
            WriteNumber(json, baseLr);
            json.WritePropertyName("steps");
            json.WriteStartArray();
            for (long t = 0; t < steps; t++)
            {
                json.WriteStartObject();
                json.WriteNumber("step", t);
                json.WritePropertyName("lr");
                WriteNumber(json, schedule.LearningRate(t));
                if (schedule.CyclesMomentum)
                {
                    json.WritePropertyName("momentum");
                    WriteNumber(json, schedule.Momentum(t) ?? double.NaN);
                }

                json.WriteEndObject();
                if (json.BytesPending >= FlushChars)
                {
                    json.Flush();
                    Drain(buffer, stdout);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        Drain(buffer, stdout);
        stdout.WriteLine();
        stdout.Flush();
    }

    private static void Drain(ArrayBufferWriter<byte> buffer, TextWriter stdout)
    {
        stdout.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.ResetWrittenCount();
    }

    /// <summary>Writes a number; non-finite values (an exponential schedule with gamma &gt; 1 overflows) become strings, as LrDoctorJson reads them.</summary>
    private static void WriteNumber(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture)); // "Infinity", "-Infinity", "NaN"
        }
    }

    private static void Plot(string path, JsonElement spec, double baseLr, ILrSchedule schedule, long steps)
    {
        long period = Math.Max(1, (steps + MaxPlotPoints - 1) / MaxPlotPoints);
        int count = (int)((steps + period - 1) / period);
        var lr = new double[count];
        double[]? momentum = schedule.CyclesMomentum ? new double[count] : null;
        for (int i = 0; i < count; i++)
        {
            long t = i * period;
            lr[i] = schedule.LearningRate(t);
            if (momentum is not null)
            {
                momentum[i] = schedule.Momentum(t) ?? double.NaN;
            }
        }

        string type = spec.TryGetProperty("type", out JsonElement typeElement) ? typeElement.GetString() ?? "schedule" : "schedule";
        string title = $"{type} schedule, base LR {Format(baseLr)}, {steps.ToString(CultureInfo.InvariantCulture)} steps";
        string raw = spec.GetRawText();
        if (raw.Length <= 110 && !raw.Contains('\n', StringComparison.Ordinal))
        {
            title += "\n" + raw;
        }

        try
        {
            SchedulePlot.Save(path, title, lr, momentum, period);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException($"schedule: cannot write plot '{path}': {e.Message}");
        }
    }

    /// <summary>Formats a value round-trip exact, with <c>inf</c>, <c>-inf</c> and <c>nan</c> for non-finite values.</summary>
    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        double.NaN => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}

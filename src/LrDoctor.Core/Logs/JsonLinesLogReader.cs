using System.Text.Json;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>Reads a JSON Lines training log: one object per line with the keys of the CSV layout (snake_case or camelCase).</summary>
/// <remarks>
/// The dialect is told by the first line: LLaMA-Factory's <c>trainer_log.jsonl</c> names the step <c>current_steps</c>
/// (and writes <c>"loss": null</c> on evaluation lines); DETR's <c>log.txt</c> has one line per epoch and no step, so the
/// epoch is the step; mmengine's <c>scalars.json</c> stamps its evaluation lines with the epoch as <c>step</c>, so a line
/// without any loss is skipped there.
/// </remarks>
internal sealed class JsonLinesLogReader : ILogRowSource
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true };
    private readonly LineReader _lines;
    private readonly LogFormat _format;
    private string? _first;

    /// <summary>Initializes a new instance of the <see cref="JsonLinesLogReader"/> class.</summary>
    /// <param name="lines">The lines after the first.</param>
    /// <param name="first">The first line, already read to detect the layout.</param>
    /// <param name="firstObject">The first line, parsed.</param>
    public JsonLinesLogReader(LineReader lines, string first, JsonElement firstObject)
    {
        _lines = lines;
        _first = first;
        _format = Dialect(firstObject);
    }

    /// <inheritdoc />
    public LogFormat Format => _format;

    /// <inheritdoc />
    public LogStepSource StepSource => _format == LogFormat.EpochJsonLines ? LogStepSource.Epoch : LogStepSource.Logged;

    private static LogFormat Dialect(JsonElement first)
    {
        if (first.ValueKind != JsonValueKind.Object)
        {
            return LogFormat.JsonLines;
        }

        if (first.TryGetProperty("current_steps", out _))
        {
            return LogFormat.LlamaFactory;
        }

        bool hasStep = false;
        bool hasEpoch = false;
        foreach (var property in first.EnumerateObject())
        {
            var field = LogColumns.Classify(property.Name, out _);
            hasStep |= field == LogField.Step;
            hasEpoch |= field == LogField.Epoch;
        }

        if (hasStep && first.TryGetProperty("data_time", out _))
        {
            return LogFormat.Mmengine;
        }

        return !hasStep && hasEpoch ? LogFormat.EpochJsonLines : LogFormat.JsonLines;
    }

    /// <inheritdoc />
    public long Line { get; private set; }

    /// <inheritdoc />
    public bool TryReadRow(out StepRecord row)
    {
        while (true)
        {
            string text;
            if (_first is not null)
            {
                text = _first;
                _first = null;
                Line = _lines.LineNumber;
            }
            else if (_lines.TryReadLine(out var line))
            {
                if (line.IsWhiteSpace())
                {
                    continue;
                }

                text = line.ToString();
                Line = _lines.LineNumber;
            }
            else
            {
                row = default;
                return false;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(PythonJson.QuoteNonFinite(text), DocumentOptions);
            }
            catch (JsonException e)
            {
                throw new LogFormatException(Line, $"not a JSON object ({e.Message.Split(" Path:")[0].TrimEnd('.')})");
            }

            using (document)
            {
                if (!JsonLogEntry.TryRead(document.RootElement, Line, null, out row, _format == LogFormat.EpochJsonLines))
                {
                    throw new LogFormatException(Line, _format == LogFormat.EpochJsonLines ? "missing key 'epoch'" : "missing key 'step'");
                }
            }

            if (_format == LogFormat.Mmengine && row.TrainLoss is null && row.ValLoss is null)
            {
                continue;
            }

            return true;
        }
    }
}

using System.Text.Json;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>Reads a JSON Lines training log: one object per line with the keys of the CSV layout (snake_case or camelCase).</summary>
internal sealed class JsonLinesLogReader : ILogRowSource
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true };
    private readonly LineReader _lines;
    private string? _first;

    /// <summary>Initializes a new instance of the <see cref="JsonLinesLogReader"/> class.</summary>
    /// <param name="lines">The lines after the first.</param>
    /// <param name="first">The first line, already read to detect the layout.</param>
    public JsonLinesLogReader(LineReader lines, string first)
    {
        _lines = lines;
        _first = first;
    }

    /// <inheritdoc />
    public LogFormat Format => LogFormat.JsonLines;

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
                if (!JsonLogEntry.TryRead(document.RootElement, Line, null, out row))
                {
                    throw new LogFormatException(Line, "missing key 'step'");
                }
            }

            return true;
        }
    }
}

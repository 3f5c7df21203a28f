using System.Text.Json;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>A training log of any supported framework, read one step record at a time.</summary>
/// <remarks>
/// The layout is recognised from the content, not the file name: a first line that opens a JSON object is JSON Lines,
/// or a <c>trainer_state.json</c> when the document has a <c>log_history</c>; anything else is CSV with a header.
/// Steps must not decrease. Consecutive rows with the same step are merged into one record, later non-empty
/// values winning (Lightning writes the training and validation metrics of a step on separate rows; Hugging Face
/// logs the loss and the evaluation of a step as separate entries). A step lower than the one before means the run
/// was resumed from a checkpoint and logged those steps again: by default that is an error naming its line (the
/// records already read are no longer the run's history); read with <c>keepLatestAttempt</c>, the log is buffered and
/// every repeated step keeps its latest attempt, and <see cref="Resumes"/> lists where the log went back.
/// </remarks>
public sealed class TrainingLog
{
    private readonly ILogRowSource _source;
    private readonly List<LogResume> _resumes = [];
    private bool _read;

    private TrainingLog(ILogRowSource source)
    {
        _source = source;
    }

    /// <summary>Gets the recognised layout.</summary>
    public LogFormat Format => _source.Format;

    /// <summary>Gets the places where the log went back to an earlier step, in order (read with <c>keepLatestAttempt</c>).</summary>
    public IReadOnlyList<LogResume> Resumes => _resumes;

    /// <summary>Opens a log: reads as far as needed to recognise its layout (the whole document for a JSON file).</summary>
    /// <param name="reader">The log's text.</param>
    /// <returns>The log, ready for <see cref="ReadRecords"/>.</returns>
    /// <exception cref="LogFormatException">The log is empty, has no step or loss column, or is not valid JSON.</exception>
    public static TrainingLog Open(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lines = new LineReader(reader);
        ReadOnlySpan<char> first;
        do
        {
            if (!lines.TryReadLine(out first))
            {
                throw new LogFormatException(0, "the file is empty");
            }
        }
        while (first.IsWhiteSpace());

        first = first.TrimStart('\uFEFF');
        if (first.TrimStart().StartsWith('{') || first.TrimStart().StartsWith('['))
        {
            return new TrainingLog(OpenJson(lines, first.ToString()));
        }

        return new TrainingLog(new CsvLogReader(lines, first));
    }

    /// <summary>Reads the step records in order, merging consecutive rows of one step; the log can be read once.</summary>
    /// <param name="keepLatestAttempt">
    /// Whether a step lower than the one before (a resumed run) drops the steps it repeats and goes on, instead of failing.
    /// The records are then buffered until the end of the log, so this costs memory for the whole run; read without it
    /// first and again with it only when <see cref="LogFormatException.StepsGoBack"/> says so.
    /// </param>
    /// <returns>The records.</returns>
    /// <exception cref="LogFormatException">A cell is not a number, a step decreases (without <paramref name="keepLatestAttempt"/>), or the log has no data rows.</exception>
    public IEnumerable<StepRecord> ReadRecords(bool keepLatestAttempt = false)
    {
        if (_read)
        {
            throw new InvalidOperationException("a training log can be read once");
        }

        _read = true;
        return keepLatestAttempt ? KeepLatestAttempts() : Merge(resumed: null);
    }

    private static ILogRowSource OpenJson(LineReader lines, string first)
    {
        long firstLine = lines.LineNumber;
        try
        {
            using var document = JsonDocument.Parse(PythonJson.QuoteNonFinite(first));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("log_history", out _)
                ? new TrainerStateLogReader(document.RootElement.Clone())
                : new JsonLinesLogReader(lines, first);
        }
        catch (JsonException)
        {
            // The first line is not a whole object: the file is one JSON document over many lines.
        }

        try
        {
            using var document = JsonDocument.Parse(PythonJson.QuoteNonFinite(first + "\n" + lines.ReadToEnd()), new JsonDocumentOptions { AllowTrailingCommas = true });
            return new TrainerStateLogReader(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            long line = firstLine + (e.LineNumber ?? 0);
            throw new LogFormatException(line, $"not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')})");
        }
    }

    private IEnumerable<StepRecord> KeepLatestAttempts()
    {
        var kept = new List<StepRecord>();
        foreach (var record in Merge(kept))
        {
            kept.Add(record);
        }

        return kept;
    }

    /// <summary>Merges consecutive rows of a step; when <paramref name="resumed"/> is given, a step going back drops the records it repeats from it.</summary>
    private IEnumerable<StepRecord> Merge(List<StepRecord>? resumed)
    {
        bool pending = false;
        bool any = false;
        StepRecord current = default;
        while (_source.TryReadRow(out var row))
        {
            any = true;
            if (!pending)
            {
                current = row;
                pending = true;
                continue;
            }

            if (row.Step == current.Step)
            {
                current = Combine(current, row);
                continue;
            }

            if (row.Step < current.Step)
            {
                if (resumed is null)
                {
                    throw new LogFormatException(_source.Line, $"step {row.Step} comes after step {current.Step}: steps must not decrease (cut a resumed run's log at the resume point)")
                    {
                        StepsGoBack = true,
                    };
                }

                _resumes.Add(new LogResume(_source.Line, current.Step, row.Step));
                while (resumed.Count > 0 && resumed[^1].Step >= row.Step)
                {
                    resumed.RemoveAt(resumed.Count - 1);
                }

                current = row;
                continue;
            }

            yield return current;
            current = row;
        }

        if (!any)
        {
            throw new LogFormatException(_source.Line, "the log has no data rows");
        }

        yield return current;
    }

    private static StepRecord Combine(StepRecord earlier, StepRecord later) =>
        new(earlier.Step, later.TrainLoss ?? earlier.TrainLoss, later.ValLoss ?? earlier.ValLoss, later.Lr ?? earlier.Lr, later.GradNorm ?? earlier.GradNorm)
        {
            Epoch = later.Epoch ?? earlier.Epoch,
        };
}

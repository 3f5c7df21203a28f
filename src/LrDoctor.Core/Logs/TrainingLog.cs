using System.Text.Json;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>A training log of any supported framework, read one step record at a time.</summary>
/// <remarks>
/// The layout is recognised from the content, not the file name (see <see cref="Open(Stream)"/> and <see cref="Open(TextReader)"/>).
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

    /// <summary>The formats LrDoctor reads, for messages that refuse a file.</summary>
    public const string FormatsRead =
        "LrDoctor reads: CSV with a header (its own, PyTorch scripts, Lightning metrics.csv, Keras CSVLogger, Ultralytics results.csv), "
        + "JSON Lines (LLaMA-Factory trainer_log.jsonl, DETR log.txt, mmengine scalars.json), Hugging Face trainer_state.json, "
        + "Keras history JSON, TensorBoard event files (events.out.tfevents.*) and text logs that print a loss ('loss 0.61', 'loss: 0.61', 'loss=0.61', Python dicts)";

    private const int SniffBytes = 4096;

    /// <summary>Gets the recognised layout.</summary>
    public LogFormat Format => _source.Format;

    /// <summary>Gets where the steps come from (logged, the epoch, a rebuilt batch counter, the line order); known once the log is read.</summary>
    public LogStepSource StepSource => _source.StepSource;

    /// <summary>Gets a note on how the log was read (which columns were summed into the loss, a validation loss standing for the loss), or <see langword="null"/>.</summary>
    public string? Note => _source.Note;

    /// <summary>Gets the places where the log went back to an earlier step, in order (read with <c>keepLatestAttempt</c>).</summary>
    public IReadOnlyList<LogResume> Resumes => _resumes;

    /// <summary>Opens a log file's bytes: a TensorBoard event file is recognised by its record framing, anything else binary is refused, text goes to <see cref="Open(TextReader)"/>.</summary>
    /// <param name="stream">The file's bytes, from the start; the caller disposes it after reading.</param>
    /// <returns>The log, ready for <see cref="ReadRecords"/>.</returns>
    /// <exception cref="LogFormatException">The content is binary but not an event file, or the text is not a log.</exception>
    public static TrainingLog Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }

        long start = stream.Position;
        byte[] head = new byte[SniffBytes];
        int length = 0;
        int read;
        while (length < head.Length && (read = stream.Read(head, length, head.Length - length)) > 0)
        {
            length += read;
        }

        stream.Position = start;
        var bytes = head.AsSpan(0, length);
        if (TensorBoardLogReader.IsEventFile(bytes))
        {
            return new TrainingLog(new TensorBoardLogReader(stream));
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
        {
            throw new LogFormatException(0, "the file is gzip-compressed: decompress it first (gunzip); " + FormatsRead);
        }

        if (IsBinary(bytes))
        {
            throw new LogFormatException(0, "the file is binary and not a TensorBoard event file; " + FormatsRead);
        }

        return Open(new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true));
    }

    /// <summary>Opens a text log: reads as far as needed to recognise its layout (the whole document for a JSON file).</summary>
    /// <param name="reader">The log's text.</param>
    /// <returns>The log, ready for <see cref="ReadRecords"/>.</returns>
    /// <exception cref="LogFormatException">The log is empty, has no step or loss column, or is not valid JSON.</exception>
    /// <remarks>
    /// A first line that opens a JSON object is JSON (Lines, trainer_state.json or a Keras history); one that opens a
    /// Python dict (<c>{'loss': ...</c>) is a text log; a line of comma- or tab-separated names is a CSV header;
    /// anything else is a text log, read for the lines that name a loss.
    /// </remarks>
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
        var trimmed = first.TrimStart();
        if (trimmed.StartsWith("{'", StringComparison.Ordinal))
        {
            return new TrainingLog(new TextLogReader(lines, first.ToString()));
        }

        if (trimmed.StartsWith('{') || (trimmed.StartsWith('[') && OpensJsonArray(trimmed)))
        {
            return new TrainingLog(OpenJson(lines, first.ToString()));
        }

        if (IsCsvHeader(first))
        {
            return new TrainingLog(new CsvLogReader(lines, first));
        }

        return new TrainingLog(new TextLogReader(lines, first.ToString()));
    }

    /// <summary>Gets whether a line that starts with <c>[</c> opens a JSON array rather than a text log's <c>[train]</c> or <c>[2024-03-01 ...]</c>.</summary>
    private static bool OpensJsonArray(ReadOnlySpan<char> line)
    {
        var rest = line[1..].TrimStart();
        return rest.IsEmpty || rest[0] is '{' or '[' or '"' or ']';
    }

    /// <summary>Gets whether a line is a CSV header: two or more comma- (or tab-) separated names, none a number.</summary>
    private static bool IsCsvHeader(ReadOnlySpan<char> line)
    {
        char separator = line.Contains(',') ? ',' : line.Contains('\t') ? '\t' : '\0';
        if (separator == '\0')
        {
            return false;
        }

        int cells = 0;
        foreach (var range in line.Split(separator))
        {
            var name = LogColumns.Unquote(line[range]);
            if (name.IsEmpty)
            {
                // Pandas writes an unnamed index column first.
                if (cells == 0)
                {
                    cells++;
                    continue;
                }

                return false;
            }

            if (!char.IsAsciiLetter(name[0]) && name[0] != '_')
            {
                return false;
            }

            foreach (char c in name)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '/' or '.' or '-' or '(' or ')' or '@' or ' ' or '[' or ']'))
                {
                    return false;
                }
            }

            cells++;
        }

        return cells >= 2;
    }

    /// <summary>Gets whether bytes are not text: a NUL or another control character that text logs do not hold.</summary>
    private static bool IsBinary(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return false; // UTF-16 with a byte order mark: StreamReader decodes it
        }

        int control = 0;
        foreach (byte b in bytes)
        {
            if (b == 0)
            {
                return true;
            }

            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' and not 0x1B and not 0x0C and not 0x08)
            {
                control++;
            }
        }

        return control > bytes.Length / 100;
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
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("log_history", out _))
            {
                return new TrainerStateLogReader(root.Clone());
            }

            if (KerasHistoryLogReader.IsHistory(root))
            {
                return new KerasHistoryLogReader(root.Clone());
            }

            return new JsonLinesLogReader(lines, first, root.Clone());
        }
        catch (JsonException)
        {
            // The first line is not a whole object: the file is one JSON document over many lines.
        }

        try
        {
            using var document = JsonDocument.Parse(PythonJson.QuoteNonFinite(first + "\n" + lines.ReadToEnd()), new JsonDocumentOptions { AllowTrailingCommas = true });
            return KerasHistoryLogReader.IsHistory(document.RootElement) && !document.RootElement.TryGetProperty("log_history", out _)
                ? new KerasHistoryLogReader(document.RootElement.Clone())
                : new TrainerStateLogReader(document.RootElement.Clone());
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

using System.Globalization;
using System.Runtime.CompilerServices;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>Reads a free-form text log: the lines that name a loss become step records, every other line is skipped.</summary>
/// <remarks>
/// <para>
/// One tolerant scanner for the ways people print metrics: <c>loss 0.61</c>, <c>loss: 0.61</c>, <c>loss=0.61</c>,
/// <c>| loss 0.61 |</c>, Python dict literals (<c>{'loss': 0.61, 'learning_rate': 7e-05, 'epoch': 0.01}</c>, Hugging Face
/// Trainer's stdout), two-word names (<c>valid loss 5.85</c>, PyTorch's word-language-model example) and tqdm progress
/// bars (segments separated by carriage returns). Names are matched as in the CSV layout.
/// </para>
/// <para>
/// The step is the logged step when there is one (<c>step 500</c>, <c>global_step=500</c>). A batch counter
/// (<c>Step 0/6501</c>, <c>200/2983 batches</c>) that restarts each epoch becomes a running total: each restart adds the
/// counter's total. Without either, the step is the number of the training line (the epoch number when every
/// training line is the next epoch). A line with a validation loss and no training loss belongs to the step before it.
/// Hugging Face's closing summary (<c>train_runtime</c>) and W&amp;B's own lines (<c>wandb:</c>) are skipped: their
/// loss is a summary, not a step's. The scanner is span-based and allocates nothing per line.
/// </para>
/// </remarks>
internal sealed class TextLogReader : ILogRowSource
{
    private const int MaxKey = 48;
    private readonly LineReader _lines;
    private string? _first;
    private string? _segments;
    private int _segmentStart;

    private long _counterOffset;
    private double _lastCounter = double.NegativeInfinity;
    private double _lastTotal;
    private double? _counterEpoch;
    private double? _carriedEpoch;
    private long _trainLines;
    private long _currentStep = -1;
    private double _firstEpoch = double.NaN;
    private double _lastEpoch = double.NaN;
    private bool _epochsConsecutive = true;
    private bool _sawCounter;
    private bool _counterRestarted;
    private bool _sawLineOrder;

    /// <summary>Initializes a new instance of the <see cref="TextLogReader"/> class.</summary>
    /// <param name="lines">The lines after the first.</param>
    /// <param name="first">The first non-blank line, already read to recognise the layout.</param>
    public TextLogReader(LineReader lines, string first)
    {
        _lines = lines;
        _first = first;
    }

    /// <inheritdoc />
    public LogFormat Format => LogFormat.Text;

    /// <inheritdoc />
    public long Line { get; private set; }

    /// <inheritdoc />
    public LogStepSource StepSource =>
        _sawCounter && _counterRestarted ? LogStepSource.BatchCounter
        : _sawLineOrder && _epochsConsecutive && !double.IsNaN(_firstEpoch) ? LogStepSource.Epoch
        : _sawLineOrder ? LogStepSource.LineOrder
        : LogStepSource.Logged;

    /// <inheritdoc />
    public bool TryReadRow(out StepRecord row)
    {
        while (true)
        {
            if (_segments is not null)
            {
                if (NextSegment(out var segment) && TryParse(segment, out row))
                {
                    return true;
                }

                continue;
            }

            ReadOnlySpan<char> line;
            if (_first is not null)
            {
                line = _first;
                _first = null;
                Line = _lines.LineNumber;
            }
            else if (_lines.TryReadLine(out line))
            {
                Line = _lines.LineNumber;
            }
            else
            {
                if (_trainLines == 0)
                {
                    throw new LogFormatException(0, "no line names a training loss (looked for 'loss', 'train_loss', 'train loss', ... as 'key value', 'key: value', 'key=value' or a Python dict); " + TrainingLog.FormatsRead);
                }

                row = default;
                return false;
            }

            if (line.Contains('\r'))
            {
                _segments = line.ToString();
                _segmentStart = 0;
                continue;
            }

            if (TryParse(line, out row))
            {
                return true;
            }
        }
    }

    private bool NextSegment(out ReadOnlySpan<char> segment)
    {
        string text = _segments!;
        if (_segmentStart >= text.Length)
        {
            _segments = null;
            segment = default;
            return false;
        }

        int end = text.IndexOf('\r', _segmentStart);
        if (end < 0)
        {
            end = text.Length;
        }

        segment = text.AsSpan(_segmentStart, end - _segmentStart);
        _segmentStart = end + 1;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryParse(ReadOnlySpan<char> line, out StepRecord row)
    {
        row = default;
        if (line.TrimStart().StartsWith("wandb:", StringComparison.Ordinal))
        {
            return false;
        }

        var fields = default(LineFields);
        Scan(line, ref fields);
        if (fields.Summary)
        {
            return false;
        }

        if (fields.Train is null && fields.Val is null)
        {
            // "Epoch 3/10" on a line of its own (Keras stdout) holds for the lines after it.
            _carriedEpoch = fields.Epoch ?? _carriedEpoch;
            return false;
        }

        fields.Epoch ??= _carriedEpoch;

        long step;
        if (fields.Train is null)
        {
            // A validation line: it belongs to the logged step, or else to the training line before it.
            if (fields.Step is { } logged && fields.StepTotal == 0)
            {
                step = LogSteps.ToStep(logged, "step", Line);
            }
            else if (_currentStep >= 0)
            {
                step = _currentStep;
            }
            else
            {
                return false;
            }
        }
        else
        {
            step = TrainStep(ref fields);
            _trainLines++;
            _currentStep = step;
        }

        row = new StepRecord(step, fields.Train, fields.Val, fields.Lr, fields.Grad) { Epoch = fields.Epoch };
        return true;
    }

    private long TrainStep(ref LineFields fields)
    {
        if (fields.Step is { } logged && fields.StepTotal == 0)
        {
            return LogSteps.ToStep(logged, "step", Line);
        }

        double counter = fields.Step ?? fields.Counter ?? double.NaN;
        double total = fields.Step is not null ? fields.StepTotal : fields.CounterTotal;
        if (!double.IsNaN(counter))
        {
            _sawCounter = true;
            if (counter < _lastCounter || (counter == _lastCounter && fields.Epoch is not null && fields.Epoch != _counterEpoch))
            {
                _counterRestarted = true;
                _counterOffset += (long)(_lastTotal > 0 ? _lastTotal : _lastCounter);
            }

            _lastCounter = counter;
            _lastTotal = total;
            _counterEpoch = fields.Epoch;
            return _counterOffset + LogSteps.ToStep(counter, "batch counter", Line);
        }

        _sawLineOrder = true;
        if (fields.Epoch is { } epoch)
        {
            if (double.IsNaN(_firstEpoch))
            {
                _firstEpoch = epoch;
                _epochsConsecutive = epoch == Math.Floor(epoch) && epoch >= 0;
            }
            else if (epoch != _lastEpoch + 1)
            {
                _epochsConsecutive = false;
            }

            _lastEpoch = epoch;
        }
        else
        {
            _epochsConsecutive = false;
        }

        long start = !double.IsNaN(_firstEpoch) && _firstEpoch == Math.Floor(_firstEpoch) && _firstEpoch >= 0 && _firstEpoch < 1e9 ? (long)_firstEpoch : 1;
        return start + _trainLines;
    }

    /// <summary>Finds the <c>name value</c> pairs and bare <c>i/N</c> counters of one line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan(ReadOnlySpan<char> line, ref LineFields fields)
    {
        Span<char> key = stackalloc char[MaxKey];
        int keyLength = 0;     // the name waiting for its value, 0 when none
        int prefixLength = 0;  // a qualifier word before it (train, val, valid, ...), joined with '_'
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (char.IsAsciiLetter(c))
            {
                int start = i;
                while (i < line.Length && IsNameChar(line[i]))
                {
                    i++;
                }

                var word = line[start..i].TrimEnd("./-");
                if (keyLength > 0 && IsNonFinite(word))
                {
                    Assign(key[..keyLength], word.Equals("nan", StringComparison.OrdinalIgnoreCase) ? double.NaN : double.PositiveInfinity, 0, ref fields);
                    keyLength = 0;
                    continue;
                }

                if (word.Equals("train_runtime", StringComparison.OrdinalIgnoreCase))
                {
                    fields.Summary = true;
                }

                bool qualifier = keyLength > 0 && keyLength == prefixLength;
                if (qualifier && keyLength + 1 + word.Length <= MaxKey && Joins(key[..keyLength], word, key))
                {
                    keyLength += 1 + word.Length;
                    prefixLength = 0;
                }
                else if (word.Length <= MaxKey)
                {
                    word.CopyTo(key);
                    keyLength = word.Length;
                    prefixLength = IsQualifier(word) ? keyLength : 0;
                }
                else
                {
                    keyLength = 0;
                }

                fields.ValContext |= IsValidationWord(word);
                continue;
            }

            if (char.IsAsciiDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < line.Length && (char.IsAsciiDigit(line[i + 1]) || line[i + 1] == '.')))
            {
                int start = i;
                i = NumberEnd(line, i);
                if (!double.TryParse(line[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    keyLength = 0;
                    continue;
                }

                double total = 0;
                int j = i;
                while (j < line.Length && line[j] == ' ')
                {
                    j++;
                }

                if (j < line.Length && line[j] == '/')
                {
                    j++;
                    while (j < line.Length && line[j] == ' ')
                    {
                        j++;
                    }

                    int totalStart = j;
                    while (j < line.Length && char.IsAsciiDigit(line[j]))
                    {
                        j++;
                    }

                    if (j > totalStart && (j == line.Length || !IsNameChar(line[j]) || line[j] == '.'))
                    {
                        double.TryParse(line[totalStart..j], NumberStyles.Integer, CultureInfo.InvariantCulture, out total);
                        i = j;
                    }
                }

                if (keyLength > 0)
                {
                    Assign(key[..keyLength], value, total, ref fields);
                }
                else if (total > 0 && value == Math.Floor(value) && value >= 0 && fields.Counter is null)
                {
                    fields.Counter = value;
                    fields.CounterTotal = total;
                }

                keyLength = 0;
                prefixLength = 0;
                continue;
            }

            if (!IsSeparator(c))
            {
                keyLength = 0;
                prefixLength = 0;
            }

            i++;
        }
    }

    /// <summary>Joins a qualifier and the next word (<c>valid loss</c> is <c>valid_loss</c>) when the pair names a field or the word alone names none (<c>Train Epoch</c> stays <c>Epoch</c>).</summary>
    private static bool Joins(ReadOnlySpan<char> qualifier, ReadOnlySpan<char> word, Span<char> key)
    {
        Span<char> joined = stackalloc char[qualifier.Length + 1 + word.Length];
        qualifier.CopyTo(joined);
        joined[qualifier.Length] = '_';
        word.CopyTo(joined[(qualifier.Length + 1)..]);
        if (LogColumns.Classify(joined, out _) == LogField.Ignored && LogColumns.Classify(word, out _) != LogField.Ignored)
        {
            return false;
        }

        joined.CopyTo(key);
        return true;
    }

    private static void Assign(ReadOnlySpan<char> key, double value, double total, ref LineFields fields)
    {
        var field = LogColumns.Classify(key, out _);
        if (field == LogField.TrainLoss && fields.ValContext && key.Equals("loss", StringComparison.OrdinalIgnoreCase))
        {
            // "Test set: Average loss: 0.05" (PyTorch's MNIST example): a plain loss on an evaluation line.
            field = LogField.ValLoss;
        }

        switch (field)
        {
            case LogField.Step:
                fields.Step ??= value;
                if (fields.Step == value)
                {
                    fields.StepTotal = total;
                }

                break;
            case LogField.TrainLoss: fields.Train ??= value; break;
            case LogField.ValLoss: fields.Val ??= value; break;
            case LogField.Lr: fields.Lr ??= value; break;
            case LogField.GradNorm: fields.Grad ??= value; break;
            case LogField.Epoch: fields.Epoch ??= value; break;
            case LogField.Ignored when total > 0 && value == Math.Floor(value) && value >= 0 && IsCounterName(key):
                fields.Counter ??= value;
                fields.CounterTotal = total;
                break;
            default: break;
        }
    }

    /// <summary>Gets whether a name before an <c>i/N</c> counter means batches of an epoch (<c>Batch 200/2983</c>, <c>it 5/100</c>).</summary>
    private static bool IsCounterName(ReadOnlySpan<char> key) =>
        key.Equals("batch", StringComparison.OrdinalIgnoreCase) || key.Equals("batches", StringComparison.OrdinalIgnoreCase)
        || key.Equals("it", StringComparison.OrdinalIgnoreCase) || key.Equals("itr", StringComparison.OrdinalIgnoreCase);

    private static int NumberEnd(ReadOnlySpan<char> line, int i)
    {
        if (line[i] == '-' || line[i] == '+')
        {
            i++;
        }

        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            i++;
        }

        if (i < line.Length && line[i] == '.')
        {
            i++;
            while (i < line.Length && char.IsAsciiDigit(line[i]))
            {
                i++;
            }
        }

        if (i + 1 < line.Length && (line[i] == 'e' || line[i] == 'E'))
        {
            int j = i + 1;
            if (line[j] == '-' || line[j] == '+')
            {
                j++;
            }

            if (j < line.Length && char.IsAsciiDigit(line[j]))
            {
                while (j < line.Length && char.IsAsciiDigit(line[j]))
                {
                    j++;
                }

                i = j;
            }
        }

        return i;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-';

    /// <summary>Characters that may stand between a name and its value: blanks, <c>:</c>, <c>=</c>, quotes, brackets.</summary>
    private static bool IsSeparator(char c) => c is ' ' or '\t' or ':' or '=' or '\'' or '"' or '[' or '(';

    private static bool IsNonFinite(ReadOnlySpan<char> word) =>
        word.Equals("nan", StringComparison.OrdinalIgnoreCase) || word.Equals("inf", StringComparison.OrdinalIgnoreCase)
        || word.Equals("infinity", StringComparison.OrdinalIgnoreCase);

    private static bool IsValidationWord(ReadOnlySpan<char> word) =>
        word.Equals("test", StringComparison.OrdinalIgnoreCase) || word.Equals("val", StringComparison.OrdinalIgnoreCase)
        || word.Equals("valid", StringComparison.OrdinalIgnoreCase) || word.Equals("validation", StringComparison.OrdinalIgnoreCase)
        || word.Equals("eval", StringComparison.OrdinalIgnoreCase) || word.Equals("evaluation", StringComparison.OrdinalIgnoreCase)
        || word.Equals("validating", StringComparison.OrdinalIgnoreCase) || word.Equals("evaluating", StringComparison.OrdinalIgnoreCase);

    private static bool IsQualifier(ReadOnlySpan<char> word) =>
        word.Equals("train", StringComparison.OrdinalIgnoreCase) || word.Equals("training", StringComparison.OrdinalIgnoreCase)
        || word.Equals("val", StringComparison.OrdinalIgnoreCase) || word.Equals("valid", StringComparison.OrdinalIgnoreCase)
        || word.Equals("validation", StringComparison.OrdinalIgnoreCase) || word.Equals("eval", StringComparison.OrdinalIgnoreCase)
        || word.Equals("test", StringComparison.OrdinalIgnoreCase) || word.Equals("global", StringComparison.OrdinalIgnoreCase)
        || word.Equals("learning", StringComparison.OrdinalIgnoreCase) || word.Equals("grad", StringComparison.OrdinalIgnoreCase);

    /// <summary>What one line holds.</summary>
    private struct LineFields
    {
        public double? Step;
        public double StepTotal;
        public double? Counter;
        public double CounterTotal;
        public double? Train;
        public double? Val;
        public double? Lr;
        public double? Grad;
        public double? Epoch;
        public bool Summary;
        public bool ValContext;
    }
}

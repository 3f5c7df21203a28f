using System.Runtime.CompilerServices;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>Reads a CSV training log: LrDoctor's own, a PyTorch script's, Lightning's metrics.csv or Keras CSVLogger's.</summary>
/// <remarks>
/// Span-based: no string is allocated per line or per cell. Cells are separated by commas (tabs when the header
/// has no comma); quoted cells may not contain the separator. An empty cell is a missing value; a row with fewer
/// cells than the header is missing its last values (a log still being written); a row with more is an error.
/// </remarks>
internal sealed class CsvLogReader : ILogRowSource
{
    private readonly LineReader _lines;
    private readonly char _separator;
    private readonly LogField[] _fieldOfColumn;
    private readonly string[] _names;
    private readonly bool _epochIsStep;
    private readonly bool _parts;
    private readonly string? _note;
    private readonly int _trainPartCount;
    private readonly int _valPartCount;

    /// <summary>Initializes a new instance of the <see cref="CsvLogReader"/> class from its header line.</summary>
    /// <param name="lines">The lines after the header.</param>
    /// <param name="header">The header line.</param>
    public CsvLogReader(LineReader lines, ReadOnlySpan<char> header)
    {
        _lines = lines;
        _separator = header.Contains(',') || !header.Contains('\t') ? ',' : '\t';
        var names = new List<string>();
        var fields = new List<LogField>();
        var best = new Dictionary<LogField, (int Rank, int Column)>();
        int column = 0;
        _parts = IsUltralytics(header, _separator);
        var trainParts = new List<string>();
        var valParts = new List<string>();
        foreach (var range in header.Split(_separator))
        {
            var name = LogColumns.Unquote(header[range]);
            names.Add(name.ToString());
            var field = LogColumns.Classify(name, out int rank);
            fields.Add(LogField.Ignored);
            if (_parts && IsLossPart(name, "train/"))
            {
                fields[^1] = LogField.TrainLossPart;
                trainParts.Add(name.ToString());
            }
            else if (_parts && IsLossPart(name, "val/"))
            {
                fields[^1] = LogField.ValLossPart;
                valParts.Add(name.ToString());
            }

            if (field != LogField.Ignored && (!best.TryGetValue(field, out var current) || rank < current.Rank))
            {
                best[field] = (rank, column);
            }

            column++;
        }

        foreach (var (field, (_, col)) in best)
        {
            fields[col] = field;
        }

        _names = [.. names];
        _fieldOfColumn = [.. fields];
        if (_parts)
        {
            best.Remove(LogField.TrainLoss);
            best.Remove(LogField.ValLoss);
        }
        if (!best.ContainsKey(LogField.Step))
        {
            if (!best.ContainsKey(LogField.Epoch))
            {
                throw new LogFormatException(lines.LineNumber, $"missing required column 'step' (or 'epoch' for a per-epoch log); the header has: {string.Join(", ", _names)}");
            }

            _epochIsStep = true;
        }

        _trainPartCount = trainParts.Count;
        _valPartCount = valParts.Count;
        if (_parts)
        {
            _note = $"train loss = {string.Join(" + ", trainParts)}" + (valParts.Count > 0 ? $"; validation loss = {string.Join(" + ", valParts)}" : string.Empty);
        }
        else if (!best.ContainsKey(LogField.TrainLoss) && best.TryGetValue(LogField.ValLoss, out var valOnly))
        {
            // Lightning metrics.csv of a run that logs only val_loss: that curve is the one to diagnose.
            fields[valOnly.Column] = LogField.TrainLoss;
            _fieldOfColumn = [.. fields];
            _note = $"only a validation loss is logged ('{_names[valOnly.Column]}'): it is diagnosed as the loss curve";
        }
        else if (!best.ContainsKey(LogField.TrainLoss))
        {
            throw new LogFormatException(lines.LineNumber, $"missing required column 'train_loss' (or 'loss'); the header has: {string.Join(", ", _names)}");
        }
    }

    /// <inheritdoc />
    public LogFormat Format => _parts ? LogFormat.Ultralytics : _epochIsStep ? LogFormat.EpochCsv : LogFormat.Csv;

    /// <inheritdoc />
    public LogStepSource StepSource => _epochIsStep ? LogStepSource.Epoch : LogStepSource.Logged;

    /// <inheritdoc />
    public string? Note => _note;

    /// <summary>Gets whether a header is Ultralytics' <c>results.csv</c>: loss parts named <c>train/*_loss</c>.</summary>
    /// <param name="header">The header line.</param>
    /// <param name="separator">The cell separator.</param>
    /// <returns><see langword="true"/> when some column is a training loss part.</returns>
    public static bool IsUltralytics(ReadOnlySpan<char> header, char separator)
    {
        foreach (var range in header.Split(separator))
        {
            if (IsLossPart(LogColumns.Unquote(header[range]), "train/"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLossPart(ReadOnlySpan<char> name, string prefix) =>
        name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.EndsWith("_loss", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public long Line => _lines.LineNumber;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadRow(out StepRecord row)
    {
        while (_lines.TryReadLine(out var line))
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            row = Parse(line);
            return true;
        }

        row = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private StepRecord Parse(ReadOnlySpan<char> line)
    {
        double? step = null;
        double? train = null;
        double? val = null;
        double? lr = null;
        double? grad = null;
        double? epoch = null;
        double trainSum = 0, valSum = 0;
        int trainParts = 0, valParts = 0;
        int column = 0;
        while (true)
        {
            int comma = line.IndexOf(_separator);
            var cell = comma < 0 ? line : line[..comma];
            if (column >= _fieldOfColumn.Length)
            {
                throw new LogFormatException(_lines.LineNumber, $"the row has more cells than the header's {_fieldOfColumn.Length} columns");
            }

            var field = _fieldOfColumn[column];
            if (field != LogField.Ignored && !LogNumber.IsEmpty(cell))
            {
                if (!LogNumber.TryParse(cell, out double value))
                {
                    throw new LogFormatException(_lines.LineNumber, $"column '{_names[column]}': '{cell.Trim().ToString()}' is not a number");
                }

                switch (field)
                {
                    case LogField.Step: step = value; break;
                    case LogField.TrainLoss: train = value; break;
                    case LogField.ValLoss: val = value; break;
                    case LogField.Lr: lr = value; break;
                    case LogField.GradNorm: grad = value; break;
                    case LogField.Epoch: epoch = value; break;
                    case LogField.TrainLossPart: trainSum += value; trainParts++; break;
                    case LogField.ValLossPart: valSum += value; valParts++; break;
                    default: break;
                }
            }

            if (comma < 0)
            {
                break;
            }

            line = line[(comma + 1)..];
            column++;
        }

        if (_parts)
        {
            // A sum with a part missing is not the loss: leave it missing.
            train = trainParts > 0 && trainParts == _trainPartCount ? trainSum : null;
            val = valParts > 0 && valParts == _valPartCount ? valSum : null;
        }

        double? stepValue = _epochIsStep ? epoch : step;
        string stepName = _epochIsStep ? "epoch" : "step";
        if (stepValue is not { } s)
        {
            throw new LogFormatException(_lines.LineNumber, $"column '{stepName}' is empty");
        }

        return new StepRecord(LogSteps.ToStep(s, stepName, _lines.LineNumber), train, val, lr, grad) { Epoch = epoch };
    }
}

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
        foreach (var range in header.Split(_separator))
        {
            var name = LogColumns.Unquote(header[range]);
            names.Add(name.ToString());
            var field = LogColumns.Classify(name, out int rank);
            fields.Add(LogField.Ignored);
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
        if (!best.ContainsKey(LogField.Step))
        {
            if (!best.ContainsKey(LogField.Epoch))
            {
                throw new LogFormatException(lines.LineNumber, $"missing required column 'step' (or 'epoch' for a per-epoch log); the header has: {string.Join(", ", _names)}");
            }

            _epochIsStep = true;
        }

        if (!best.ContainsKey(LogField.TrainLoss))
        {
            throw new LogFormatException(lines.LineNumber, $"missing required column 'train_loss' (or 'loss'); the header has: {string.Join(", ", _names)}");
        }
    }

    /// <inheritdoc />
    public LogFormat Format => _epochIsStep ? LogFormat.EpochCsv : LogFormat.Csv;

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

        double? stepValue = _epochIsStep ? epoch : step;
        string stepName = _epochIsStep ? "epoch" : "step";
        if (stepValue is not { } s)
        {
            throw new LogFormatException(_lines.LineNumber, $"column '{stepName}' is empty");
        }

        return new StepRecord(LogSteps.ToStep(s, stepName, _lines.LineNumber), train, val, lr, grad) { Epoch = epoch };
    }
}

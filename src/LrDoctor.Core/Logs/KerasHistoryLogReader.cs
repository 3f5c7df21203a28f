using System.Globalization;
using System.Text.Json;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>Reads Keras' <c>history.history</c> dumped as JSON: one array per metric, one entry per epoch.</summary>
/// <remarks><c>{"loss": [...], "val_loss": [...], "lr": [...]}</c>; entry <c>i</c> of every array is epoch <c>i</c> (0-based, as Keras' CSVLogger counts).</remarks>
internal sealed class KerasHistoryLogReader : ILogRowSource
{
    private readonly double?[] _train;
    private readonly double?[]? _val;
    private readonly double?[]? _lr;
    private int _next;

    /// <summary>Initializes a new instance of the <see cref="KerasHistoryLogReader"/> class.</summary>
    /// <param name="root">The document's root object, each value an array.</param>
    public KerasHistoryLogReader(JsonElement root)
    {
        double?[]? train = null, val = null, lr = null;
        int trainRank = int.MaxValue, valRank = int.MaxValue, lrRank = int.MaxValue;
        foreach (var property in root.EnumerateObject())
        {
            var field = LogColumns.Classify(property.Name, out int rank);
            switch (field)
            {
                case LogField.TrainLoss when rank < trainRank: train = Values(property); trainRank = rank; break;
                case LogField.ValLoss when rank < valRank: val = Values(property); valRank = rank; break;
                case LogField.Lr when rank < lrRank: lr = Values(property); lrRank = rank; break;
                default: break;
            }
        }

        _train = train ?? throw new LogFormatException(0, $"a Keras history has no 'loss' array; its keys are: {string.Join(", ", root.EnumerateObject().Select(p => p.Name))}");
        _val = val;
        _lr = lr;
    }

    /// <inheritdoc />
    public LogFormat Format => LogFormat.KerasHistory;

    /// <inheritdoc />
    public LogStepSource StepSource => LogStepSource.Epoch;

    /// <inheritdoc />
    public long Line => 0;

    /// <summary>Gets whether a JSON document is a Keras history: an object whose values are all arrays, one named <c>loss</c> or alike.</summary>
    /// <param name="root">The document's root.</param>
    /// <returns><see langword="true"/> for a Keras history.</returns>
    public static bool IsHistory(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        bool any = false;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <inheritdoc />
    public bool TryReadRow(out StepRecord row)
    {
        if (_next >= _train.Length)
        {
            row = default;
            return false;
        }

        int i = _next++;
        row = new StepRecord(i, _train[i], At(_val, i), At(_lr, i)) { Epoch = i };
        return true;
    }

    private static double? At(double?[]? values, int i) => values is not null && i < values.Length ? values[i] : null;

    private static double?[] Values(JsonProperty property)
    {
        var values = new List<double?>();
        int i = 0;
        foreach (var item in property.Value.EnumerateArray())
        {
            values.Add(item.ValueKind switch
            {
                JsonValueKind.Number => item.GetDouble(),
                JsonValueKind.Null => null,
                JsonValueKind.String when LogNumber.TryParse(item.GetString(), out double v) => v,
                _ => throw new LogFormatException(0, string.Create(CultureInfo.InvariantCulture, $"'{property.Name}'[{i}]: expected a number, got {item.ValueKind.ToString().ToLowerInvariant()}")),
            });
            i++;
        }

        return [.. values];
    }
}

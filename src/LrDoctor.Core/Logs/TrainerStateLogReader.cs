using System.Globalization;
using System.Text.Json;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>Reads Hugging Face Trainer's <c>trainer_state.json</c>: its <c>log_history</c> entries become step records.</summary>
/// <remarks>
/// Training entries carry <c>loss</c>, <c>learning_rate</c>, <c>grad_norm</c>; evaluation entries <c>eval_loss</c>;
/// both carry <c>step</c>. The closing summary entry (with <c>train_runtime</c>) holds the run's mean loss under
/// <c>train_loss</c>, which is not a step's loss, so it is skipped; so are the entries of <c>trainer.predict</c> or a
/// final evaluation that carry no step (every key <c>predict_*</c>, <c>test_*</c> or <c>eval_*</c>).
/// </remarks>
internal sealed class TrainerStateLogReader : ILogRowSource
{
    private readonly JsonElement[] _entries;
    private int _next;

    /// <summary>Initializes a new instance of the <see cref="TrainerStateLogReader"/> class.</summary>
    /// <param name="root">The parsed document's root object.</param>
    public TrainerStateLogReader(JsonElement root)
    {
        if (!root.TryGetProperty("log_history", out var history) || history.ValueKind != JsonValueKind.Array)
        {
            throw new LogFormatException(0, "a JSON document must be a Hugging Face trainer_state.json with a 'log_history' array or a Keras history ({\"loss\": [...], ...})");
        }

        _entries = [.. history.EnumerateArray()];
    }

    /// <inheritdoc />
    public LogFormat Format => LogFormat.TrainerState;

    /// <inheritdoc />
    public long Line => 0;

    /// <summary>Gets the index of the <c>log_history</c> entry last returned.</summary>
    public int Entry { get; private set; } = -1;

    private static bool IsPredictionSummary(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        bool any = false;
        foreach (var property in entry.EnumerateObject())
        {
            any = true;
            string name = property.Name;
            if (!name.StartsWith("predict_", StringComparison.Ordinal) && !name.StartsWith("test_", StringComparison.Ordinal)
                && !name.StartsWith("eval_", StringComparison.Ordinal) && name != "epoch")
            {
                return false;
            }
        }

        return any;
    }

    /// <inheritdoc />
    public bool TryReadRow(out StepRecord row)
    {
        while (_next < _entries.Length)
        {
            Entry = _next++;
            var entry = _entries[Entry];
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("train_runtime", out _))
            {
                continue;
            }

            string where = string.Create(CultureInfo.InvariantCulture, $"log_history[{Entry}]");
            if (JsonLogEntry.TryRead(entry, 0, where, out row))
            {
                return true;
            }

            if (IsPredictionSummary(entry))
            {
                continue;
            }

            throw new LogFormatException(0, $"{where}: missing key 'step'");
        }

        row = default;
        return false;
    }
}

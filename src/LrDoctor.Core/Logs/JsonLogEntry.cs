using System.Text.Json;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>Turns one JSON object of a log (a JSON Lines line, a <c>log_history</c> entry) into a step record.</summary>
internal static class JsonLogEntry
{
    /// <summary>Reads the known keys of <paramref name="entry"/>; other keys are ignored.</summary>
    /// <param name="entry">The object.</param>
    /// <param name="line">The line for messages (0 when unknown).</param>
    /// <param name="where">How to name the entry in messages when there is no line, for example <c>log_history[3]</c>.</param>
    /// <param name="record">The record.</param>
    /// <param name="epochIsStep">Whether the epoch stands for the step (a per-epoch log without a step key).</param>
    /// <returns><see langword="false"/> when the entry has no step.</returns>
    public static bool TryRead(JsonElement entry, long line, string? where, out StepRecord record, bool epochIsStep = false)
    {
        string prefix = where is null ? string.Empty : where + ": ";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new LogFormatException(line, $"{prefix}expected a JSON object, got {entry.ValueKind.ToString().ToLowerInvariant()}");
        }

        double? step = null;
        double? train = null;
        double? val = null;
        double? lr = null;
        double? grad = null;
        double? epoch = null;
        int stepRank = int.MaxValue;
        int trainRank = int.MaxValue;
        int valRank = int.MaxValue;
        int lrRank = int.MaxValue;
        int gradRank = int.MaxValue;
        foreach (var property in entry.EnumerateObject())
        {
            var field = LogColumns.Classify(property.Name, out int rank);
            if (field == LogField.Ignored)
            {
                continue;
            }

            double? value = Number(property, line, prefix);
            switch (field)
            {
                case LogField.Step: Take(ref step, ref stepRank, value, rank); break;
                case LogField.TrainLoss: Take(ref train, ref trainRank, value, rank); break;
                case LogField.ValLoss: Take(ref val, ref valRank, value, rank); break;
                case LogField.Lr: Take(ref lr, ref lrRank, value, rank); break;
                case LogField.GradNorm: Take(ref grad, ref gradRank, value, rank); break;
                case LogField.Epoch: epoch = value; break;
                default: break;
            }
        }

        if (epochIsStep)
        {
            step = epoch;
        }

        if (step is not { } s)
        {
            record = default;
            return false;
        }

        record = new StepRecord(LogSteps.ToStep(s, prefix + (epochIsStep ? "epoch" : "step"), line), train, val, lr, grad) { Epoch = epoch };
        return true;
    }

    private static void Take(ref double? slot, ref int slotRank, double? value, int rank)
    {
        if (value is not null && rank < slotRank)
        {
            slot = value;
            slotRank = rank;
        }
    }

    private static double? Number(JsonProperty property, long line, string prefix)
    {
        var value = property.Value;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                return value.GetDouble();
            case JsonValueKind.String:
                string text = value.GetString()!;
                if (LogNumber.IsEmpty(text))
                {
                    return null;
                }

                if (LogNumber.TryParse(text, out double parsed))
                {
                    return parsed;
                }

                throw new LogFormatException(line, $"{prefix}key '{property.Name}': '{text}' is not a number");
            default:
                throw new LogFormatException(line, $"{prefix}key '{property.Name}': expected a number, got {value.ValueKind.ToString().ToLowerInvariant()}");
        }
    }
}

using System.Collections.Frozen;

namespace LrDoctor.Core.Logs;

/// <summary>The column and key names of the frameworks' logs, mapped to what they hold.</summary>
/// <remarks>
/// A lower rank wins when a log has several candidates for one field: <c>train_loss</c> over <c>loss</c> over
/// Lightning's <c>train_loss_step</c>; a Lightning <c>lr-Adam</c> column (LearningRateMonitor) counts as the LR.
/// </remarks>
internal static class LogColumns
{
    private static readonly (string Name, LogField Field, int Rank)[] Known =
    [
        ("step", LogField.Step, 0), ("global_step", LogField.Step, 1), ("trainer/global_step", LogField.Step, 2),
        ("iteration", LogField.Step, 3), ("iter", LogField.Step, 4), ("current_steps", LogField.Step, 5),
        ("train_loss", LogField.TrainLoss, 0), ("trainloss", LogField.TrainLoss, 0), ("loss", LogField.TrainLoss, 1),
        ("train_loss_step", LogField.TrainLoss, 2), ("train/loss", LogField.TrainLoss, 3), ("training_loss", LogField.TrainLoss, 4),
        ("val_loss", LogField.ValLoss, 0), ("valloss", LogField.ValLoss, 0), ("eval_loss", LogField.ValLoss, 1),
        ("validation_loss", LogField.ValLoss, 2), ("valid_loss", LogField.ValLoss, 3), ("val/loss", LogField.ValLoss, 4),
        ("eval/loss", LogField.ValLoss, 5), ("val_loss_epoch", LogField.ValLoss, 6), ("test_loss", LogField.ValLoss, 7),
        ("valid/loss", LogField.ValLoss, 8), ("validation/loss", LogField.ValLoss, 8),
        ("loss/train", LogField.TrainLoss, 5), ("loss/val", LogField.ValLoss, 9), ("loss/valid", LogField.ValLoss, 9),
        ("loss/validation", LogField.ValLoss, 9),
        ("lr", LogField.Lr, 0), ("learning_rate", LogField.Lr, 1), ("learningrate", LogField.Lr, 1),
        ("train/learning_rate", LogField.Lr, 3), ("train_lr", LogField.Lr, 4), ("lr/pg0", LogField.Lr, 5), ("x/lr0", LogField.Lr, 5),
        ("train/lr", LogField.Lr, 6), ("base_lr", LogField.Lr, 7),
        ("grad_norm", LogField.GradNorm, 0), ("gradnorm", LogField.GradNorm, 0), ("gradient_norm", LogField.GradNorm, 1),
        ("grad_2.0_norm_total", LogField.GradNorm, 2), ("train/grad_norm", LogField.GradNorm, 3), ("gnorm", LogField.GradNorm, 4),
        ("train_grad_norm", LogField.GradNorm, 4),
        ("epoch", LogField.Epoch, 0),
    ];

    private static readonly FrozenDictionary<string, (LogField Field, int Rank)>.AlternateLookup<ReadOnlySpan<char>> ByName =
        Known.ToFrozenDictionary(k => k.Name, k => (k.Field, k.Rank), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Classifies a column name (case-insensitive, blanks and quotes ignored).</summary>
    /// <param name="name">The column name.</param>
    /// <param name="rank">The preference among candidates for the same field (lower wins).</param>
    /// <returns>The field, or <see cref="LogField.Ignored"/>.</returns>
    public static LogField Classify(ReadOnlySpan<char> name, out int rank)
    {
        name = Unquote(name);
        if (ByName.TryGetValue(name, out var known))
        {
            rank = known.Rank;
            return known.Field;
        }

        if (name.StartsWith("lr-", StringComparison.OrdinalIgnoreCase))
        {
            rank = 2;
            return LogField.Lr;
        }

        rank = int.MaxValue;
        return LogField.Ignored;
    }

    /// <summary>Removes blanks and surrounding double quotes from a header cell.</summary>
    /// <param name="name">The raw header cell.</param>
    /// <returns>The name.</returns>
    public static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> name)
    {
        name = name.Trim();
        return name.Length >= 2 && name[0] == '"' && name[^1] == '"' ? name[1..^1].Trim() : name;
    }
}

namespace LrDoctor.Core.Interventions;

/// <summary>Chooses the snapshot a rollback returns to: the newest one before the symptom's onset that the run had not already damaged.</summary>
/// <remarks>
/// Snapshots are taken while the detectors are quiet, but an LR that is too high can wreck a model for tens of steps before
/// any detector is sure (a tanh network driven into saturation bounces around its untrained loss). Returning to such a
/// snapshot and cutting the LR restarts training from a damaged state, which then trains worse than from scratch. A
/// snapshot counts as damaged when its loss has given back more than <see cref="MaxProgressGivenBack"/> of the progress
/// that the best snapshot before the onset had made from the untrained loss; the rollback then goes further back, to
/// the newest snapshot that had not. A healthy run's snapshots sit far below its untrained loss, so there the newest
/// snapshot before the onset is always the one chosen.
/// </remarks>
public static class RollbackTarget
{
    /// <summary>The share of the progress (untrained loss minus the best snapshot's loss) a snapshot may give back and still count as good.</summary>
    public const double MaxProgressGivenBack = 0.5;

    /// <summary>Chooses the snapshot to restore.</summary>
    /// <param name="snapshots">The snapshots held, oldest first.</param>
    /// <param name="onsetStep">The first step of the symptom: only snapshots taken at or before it describe a state before the trouble.</param>
    /// <param name="untrainedLoss">The run's first loss, the loss of a snapshot taken before any step; <see langword="null"/> when unknown.</param>
    /// <returns>The index in <paramref name="snapshots"/> of the snapshot to restore, or -1 when there is none.</returns>
    public static int Choose(IReadOnlyList<SnapshotMark> snapshots, long onsetStep, double? untrainedLoss)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        int newest = -1;
        double best = double.PositiveInfinity;
        for (int i = 0; i < snapshots.Count && snapshots[i].Step <= onsetStep; i++)
        {
            newest = i;
            best = Math.Min(best, LossOf(snapshots[i], untrainedLoss));
        }

        if (newest < 0)
        {
            // Every snapshot is newer than the onset (the ring forgot older ones): the oldest is the closest to it.
            return snapshots.Count > 0 ? 0 : -1;
        }

        if (untrainedLoss is not { } start || !double.IsFinite(best))
        {
            return newest;
        }

        double limit = best + (MaxProgressGivenBack * Math.Max(0, start - best));
        for (int i = newest; i >= 0; i--)
        {
            if (LossOf(snapshots[i], untrainedLoss) <= limit)
            {
                return i;
            }
        }

        return newest;
    }

    private static double LossOf(SnapshotMark mark, double? untrainedLoss) =>
        mark.Loss is { } loss && double.IsFinite(loss) ? loss : mark.Step == 0 && untrainedLoss is { } start ? start : double.PositiveInfinity;
}

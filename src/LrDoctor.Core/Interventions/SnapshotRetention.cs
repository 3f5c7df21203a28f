namespace LrDoctor.Core.Interventions;

/// <summary>Chooses which snapshot a full ring gives up for a new one: the oldest, except the best one seen, which stays pinned.</summary>
/// <remarks>
/// A plain ring of n snapshots forgets everything older than n x <c>checkpointEvery</c> steps, so damage that builds up
/// more slowly than that (a slow drift up after a too-high LR, a schedule's peak held too long) leaves only damaged
/// states to roll back to. Keeping the snapshot with the lowest smoothed loss as well as the newest ones gives
/// <see cref="RollbackTarget"/> a good state to fall back to however long ago it was taken.
/// </remarks>
public static class SnapshotRetention
{
    /// <summary>Gets the index of the snapshot to give up.</summary>
    /// <param name="snapshots">The snapshots held, oldest first (a full ring).</param>
    /// <returns>The index to evict: 0, or 1 when the oldest has the lowest loss of all and there is another to give up.</returns>
    public static int ToEvict(IReadOnlyList<SnapshotMark> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count < 2 || snapshots[0].Loss is not { } oldest || !double.IsFinite(oldest))
        {
            return 0;
        }

        for (int i = 1; i < snapshots.Count; i++)
        {
            if (snapshots[i].Loss is { } loss && loss <= oldest)
            {
                return 0;
            }
        }

        return 1;
    }
}

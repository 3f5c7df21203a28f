using LrDoctor.Core.Interventions;

namespace LrDoctor.Torch.Training;

/// <summary>A small ring of known-good snapshots, the best one pinned (<see cref="SnapshotRetention"/>); a rollback picks the newest good one taken before a symptom's onset.</summary>
internal sealed class SnapshotRing : IDisposable
{
    private readonly TrainingSetup _setup;
    private readonly List<Snapshot> _snapshots = [];
    private readonly int _capacity;

    /// <summary>Initializes a new instance of the <see cref="SnapshotRing"/> class.</summary>
    /// <param name="setup">The setup whose state is captured.</param>
    /// <param name="capacity">The most snapshots kept.</param>
    public SnapshotRing(TrainingSetup setup, int capacity)
    {
        _setup = setup;
        _capacity = Math.Max(1, capacity);
    }

    /// <summary>Gets the number of snapshots held.</summary>
    public int Count => _snapshots.Count;

    /// <summary>Captures the setup's state at <paramref name="step"/>, reusing the oldest buffer when the ring is full.</summary>
    public void Take(long step, double? smoothedLoss)
    {
        Snapshot snapshot;
        if (_snapshots.Count < _capacity)
        {
            snapshot = new Snapshot(_setup);
        }
        else
        {
            int evict = SnapshotRetention.ToEvict(Marks());
            snapshot = _snapshots[evict];
            _snapshots.RemoveAt(evict);
        }

        snapshot.Capture(_setup, step, smoothedLoss);
        _snapshots.Add(snapshot);
    }

    /// <summary>Gets the snapshot a rollback for a symptom from <paramref name="onsetStep"/> returns to (see <see cref="RollbackTarget"/>).</summary>
    /// <param name="onsetStep">The symptom's first step.</param>
    /// <param name="untrainedLoss">The run's first loss.</param>
    /// <returns>The snapshot (<see langword="null"/> when the ring is empty) and how many newer snapshots before the onset it passed over as damaged.</returns>
    public (Snapshot? Snapshot, int Skipped) For(long onsetStep, double? untrainedLoss)
    {
        var marks = Marks();
        int chosen = RollbackTarget.Choose(marks, onsetStep, untrainedLoss);
        if (chosen < 0)
        {
            return (null, 0);
        }

        int skipped = 0;
        for (int i = chosen + 1; i < marks.Length && marks[i].Step <= onsetStep; i++)
        {
            skipped++;
        }

        return (_snapshots[chosen], skipped);
    }

    /// <summary>Gets the snapshots held, oldest first, as the step and loss the policies look at.</summary>
    public SnapshotMark[] Marks() => [.. _snapshots.Select(s => new SnapshotMark(s.Step, s.SmoothedLoss))];

    /// <summary>Drops the snapshots newer than <paramref name="step"/> (after rolling back to it, they describe a discarded future).</summary>
    public void DropAfter(long step) => _snapshots.RemoveAll(s =>
    {
        if (s.Step > step)
        {
            s.Dispose();
            return true;
        }

        return false;
    });

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var s in _snapshots)
        {
            s.Dispose();
        }

        _snapshots.Clear();
    }
}

using LrDoctor.Core.Interventions;

namespace LrDoctor.Torch.Training;

/// <summary>A small ring of known-good snapshots, the best one pinned (<see cref="SnapshotRetention"/>); the doctor picks which one a rollback returns to (<see cref="RollbackTarget"/>).</summary>
internal sealed class SnapshotRing : IDisposable
{
    private readonly TrainingSetup _setup;
    private readonly List<Snapshot> _snapshots = [];
    private readonly List<SnapshotMark> _marks = [];
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
            int evict = SnapshotRetention.ToEvict(_marks);
            snapshot = _snapshots[evict];
            _snapshots.RemoveAt(evict);
            _marks.RemoveAt(evict);
        }

        snapshot.Capture(_setup, step, smoothedLoss);
        _snapshots.Add(snapshot);
        _marks.Add(new SnapshotMark(step, smoothedLoss));
    }

    /// <summary>Gets the snapshots held, oldest first, as the step and loss the doctor chooses among (kept in step with the ring, no copy).</summary>
    public IReadOnlyList<SnapshotMark> Marks => _marks;

    /// <summary>Restores the snapshot of <paramref name="step"/> into the setup and drops the newer ones (after rolling back to it, they describe a discarded future).</summary>
    /// <param name="step">The step of a snapshot held.</param>
    /// <exception cref="ArgumentException">No snapshot of that step is held.</exception>
    public void RollBackTo(long step)
    {
        int index = _snapshots.FindIndex(s => s.Step == step);
        if (index < 0)
        {
            throw new ArgumentException($"no snapshot of step {step} is held", nameof(step));
        }

        _snapshots[index].Restore(_setup);
        for (int i = _snapshots.Count - 1; i >= 0; i--)
        {
            if (_snapshots[i].Step > step)
            {
                _snapshots[i].Dispose();
                _snapshots.RemoveAt(i);
                _marks.RemoveAt(i);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var s in _snapshots)
        {
            s.Dispose();
        }

        _snapshots.Clear();
        _marks.Clear();
    }
}

namespace LrDoctor.Torch.Training;

/// <summary>A small ring of known-good snapshots; a rollback picks the newest one taken before a symptom's onset.</summary>
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

    /// <summary>Gets the step of the newest snapshot, or -1.</summary>
    public long NewestStep => _snapshots.Count == 0 ? -1 : _snapshots[^1].Step;

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
            snapshot = _snapshots[0];
            _snapshots.RemoveAt(0);
        }

        snapshot.Capture(_setup, step, smoothedLoss);
        _snapshots.Add(snapshot);
    }

    /// <summary>Gets the newest snapshot taken at or before <paramref name="step"/> (its state is the one before step <paramref name="step"/> ran), else the oldest.</summary>
    /// <returns>The snapshot, or <see langword="null"/> when the ring is empty.</returns>
    public Snapshot? Before(long step)
    {
        for (int i = _snapshots.Count - 1; i >= 0; i--)
        {
            if (_snapshots[i].Step <= step)
            {
                return _snapshots[i];
            }
        }

        return _snapshots.Count > 0 ? _snapshots[0] : null;
    }

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

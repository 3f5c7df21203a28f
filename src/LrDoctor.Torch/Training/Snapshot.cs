using static TorchSharp.torch;

namespace LrDoctor.Torch.Training;

/// <summary>An exact in-memory copy of a run's state at a step: parameters, optimizer state, data position and the loss smoothing.</summary>
/// <remarks>Parameter buffers are allocated once and refilled with <c>copy_</c>, so taking a snapshot allocates nothing on the device after the first.</remarks>
internal sealed class Snapshot : IDisposable
{
    private readonly Tensor[] _parameters;
    private readonly MemoryStream _optimizerState = new();

    /// <summary>Initializes a new instance of the <see cref="Snapshot"/> class with buffers shaped like the setup's parameters.</summary>
    public Snapshot(TrainingSetup setup)
    {
        _parameters = [.. setup.Parameters.Select(p => empty_like(p).DetachFromDisposeScope())];
    }

    /// <summary>Gets the number of optimizer steps done when the snapshot was taken.</summary>
    public long Step { get; private set; } = -1;

    /// <summary>Gets the data position (batches drawn) at the snapshot.</summary>
    public long DataPosition { get; private set; }

    /// <summary>Gets the smoothed training loss at the snapshot.</summary>
    public double? SmoothedLoss { get; private set; }

    /// <summary>Copies the setup's state into this snapshot.</summary>
    public void Capture(TrainingSetup setup, long step, double? smoothedLoss)
    {
        using (no_grad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                _parameters[i].copy_(setup.Parameters[i]);
            }
        }

        _optimizerState.SetLength(0);
        using (var writer = new BinaryWriter(_optimizerState, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            setup.Optimizer.save_state_dict(writer);
        }

        Step = step;
        DataPosition = setup.Batches.Position;
        SmoothedLoss = smoothedLoss;
    }

    /// <summary>Restores this snapshot into the setup, bit for bit.</summary>
    public void Restore(TrainingSetup setup)
    {
        using (no_grad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                setup.Parameters[i].copy_(_parameters[i]);
            }
        }

        _optimizerState.Position = 0;
        using (var reader = new BinaryReader(_optimizerState, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            setup.Optimizer.load_state_dict(reader);
        }

        setup.Batches.Position = DataPosition;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in _parameters)
        {
            t.Dispose();
        }

        _optimizerState.Dispose();
    }
}

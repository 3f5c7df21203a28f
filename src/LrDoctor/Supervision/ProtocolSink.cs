using LrDoctor.Core.Detectors;
using LrDoctor.Core.Protocol;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Supervision;

/// <summary>The worker's <see cref="IRunSink"/>: writes every record as a protocol line on standard output.</summary>
/// <remarks>Also takes the periodic checkpoints: it posts a checkpoint command and, at the next step, moves the
/// file the engine wrote to a name of its own and reports it before that step, so the daemon resumes from a
/// checkpoint only once every step before it is stored.</remarks>
/// <param name="output">Standard output.</param>
/// <param name="checkpoints">The run's checkpoint files.</param>
/// <param name="checkpointEvery">The fewest steps between periodic checkpoints.</param>
/// <param name="checkpointInterval">The shortest time between periodic checkpoints.</param>
internal sealed class ProtocolSink(TextWriter output, WorkerCheckpoints checkpoints, long checkpointEvery, TimeSpan checkpointInterval) : IRunSink
{
    private readonly object _gate = new();
    private long _lastCheckpointStep;
    private long _lastCheckpointTicks = Environment.TickCount64;
    private bool _checkpointPosted;

    /// <summary>Gets or sets the run to post periodic checkpoint commands to.</summary>
    public Action<RunCommand>? Post { get; set; }

    /// <summary>Gets whether a write failed because the daemon is gone.</summary>
    public bool DaemonGone { get; private set; }

    /// <summary>Raised once when the daemon stops reading (its end of the pipe closed).</summary>
    public event Action? DaemonLost;

    /// <inheritdoc />
    public void OnStep(in StepRecord record)
    {
        if (_checkpointPosted && checkpoints.Collect(record.Step) is { } path)
        {
            // The engine wrote the checkpoint at this step boundary: the run resumes by redoing this step.
            _checkpointPosted = false;
            Write(WorkerMessage.ForCheckpoint(path, record.Step));
        }

        Write(WorkerMessage.ForStep(record));
        if (!_checkpointPosted && Post is not null && record.Step + 1 - _lastCheckpointStep >= checkpointEvery
            && TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastCheckpointTicks) >= checkpointInterval)
        {
            _checkpointPosted = true;
            _lastCheckpointStep = record.Step + 1;
            _lastCheckpointTicks = Environment.TickCount64;
            Post(new RunCommand(RunCommandKind.Checkpoint, Reason: "periodic checkpoint"));
        }
    }

    /// <inheritdoc />
    public void OnFinding(Finding finding) => Write(WorkerMessage.ForFinding(finding));

    /// <inheritdoc />
    public void OnEvent(RunEvent runEvent) => Write(WorkerMessage.ForEvent(runEvent));

    /// <inheritdoc />
    public void OnArtifact(string kind, string json) => Write(WorkerMessage.ForArtifact(kind, json));

    /// <summary>Writes one protocol line and flushes it.</summary>
    public void Write(WorkerMessage message)
    {
        string line = WorkerProtocol.Encode(message);
        lock (_gate)
        {
            if (DaemonGone)
            {
                return;
            }

            try
            {
                output.Write(line);
                output.Write('\n');
                output.Flush();
            }
            catch (IOException)
            {
                DaemonGone = true;
                DaemonLost?.Invoke();
            }
        }
    }
}

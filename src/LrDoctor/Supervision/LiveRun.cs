using System.Diagnostics;
using LrDoctor.Core.Protocol;

namespace LrDoctor.Supervision;

/// <summary>A run the supervisor is hosting: queued or training in a worker process.</summary>
/// <param name="id">The run id.</param>
/// <param name="jobJson">The job spec.</param>
internal sealed class LiveRun(string id, string jobJson)
{
    private readonly object _gate = new();
    private Process? _process;
    private readonly List<WorkerInstruction> _pending = [];

    /// <summary>Gets the run id.</summary>
    public string Id { get; } = id;

    /// <summary>Gets the job spec.</summary>
    public string JobJson { get; } = jobJson;

    /// <summary>Gets the cancellation of a run still waiting for a slot (stop while queued).</summary>
    public CancellationTokenSource QueueCancellation { get; } = new();

    /// <summary>Gets or sets whether a stop was requested.</summary>
    public bool StopRequested { get; set; }

    /// <summary>Gets or sets the task that hosts the run.</summary>
    public Task? Task { get; set; }

    /// <summary>Gets the worker process id, when one is running.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process?.Id;
            }
        }
    }

    /// <summary>Attaches a started worker and sends it what was posted before it started.</summary>
    public void Attach(Process process)
    {
        lock (_gate)
        {
            _process = process;
            foreach (var instruction in _pending)
            {
                WriteLocked(instruction);
            }

            _pending.Clear();
        }
    }

    /// <summary>Detaches the worker that exited.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            _process = null;
        }
    }

    /// <summary>Sends an instruction to the worker, or keeps it for the next worker when none runs.</summary>
    public void Send(WorkerInstruction instruction)
    {
        lock (_gate)
        {
            if (_process is null)
            {
                _pending.Add(instruction);
                return;
            }

            WriteLocked(instruction);
        }
    }

    /// <summary>Kills the worker (a shutdown whose grace period ran out).</summary>
    public void Kill()
    {
        lock (_gate)
        {
            try
            {
                _process?.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already exited
            }
        }
    }

    private void WriteLocked(WorkerInstruction instruction)
    {
        try
        {
            _process!.StandardInput.WriteLine(WorkerProtocol.Encode(instruction));
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // The worker is exiting; its exit is handled by the run loop.
        }
        catch (ObjectDisposedException)
        {
            // idem
        }
    }
}

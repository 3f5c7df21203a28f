namespace LrDoctor.Core.Runs;

/// <summary>Sends commands to live runs (implemented by the daemon's run supervisor; used by the HTTP API and the Alertmanager webhook).</summary>
public interface IRunControl
{
    /// <summary>Posts a command to a live run; it applies at the run's next step boundary.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="command">The command; its reason ends up in the event the run records.</param>
    /// <returns><see langword="false"/> when no live run has that id.</returns>
    bool TryPost(string runId, RunCommand command);
}

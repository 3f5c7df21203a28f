namespace LrDoctor.Supervision;

/// <summary>The supervisor's log messages, with stable event ids.</summary>
internal sealed partial class RunSupervisor
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Run {RunId}: worker {Pid} started (resume from {Checkpoint})")]
    private partial void LogWorkerStarted(string runId, int pid, string checkpoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Run {RunId}: worker exited with code {ExitCode} (restart {Restarts} of {MaxRestarts})")]
    private partial void LogWorkerDied(string runId, int exitCode, int restarts, int maxRestarts);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Run {RunId} ended: {State} ({Reason})")]
    private partial void LogRunEnded(string runId, string state, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Run {RunId} left {State} by the previous daemon: resuming (checkpoint step {Step})")]
    private partial void LogResuming(string runId, string state, long step);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Run {RunId}: started configured job {Job}")]
    private partial void LogAutoStarted(string runId, string job);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Run {RunId}: ignored a worker line: {Problem}")]
    private partial void LogBadLine(string runId, string problem);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Run {RunId} worker: {Line}")]
    private partial void LogWorkerOutput(string runId, string line);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Run {RunId}: the daemon could not host the run")]
    private partial void LogHostFailed(Exception exception, string runId);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "Shutdown timeout: killing {Count} worker(s) that had not finished their checkpoint")]
    private partial void LogShutdownKill(int count);
}

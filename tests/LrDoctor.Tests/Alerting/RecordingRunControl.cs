using System.Collections.Concurrent;
using LrDoctor.Core.Runs;

namespace LrDoctor.Tests.Alerting;

/// <summary>A run control with a fixed set of live runs that records the commands posted to them.</summary>
internal sealed class RecordingRunControl(params string[] liveRuns) : IRunControl
{
    public ConcurrentQueue<(string RunId, RunCommand Command)> Posted { get; } = new();

    public bool TryPost(string runId, RunCommand command)
    {
        if (!liveRuns.Contains(runId))
        {
            return false;
        }

        Posted.Enqueue((runId, command));
        return true;
    }
}

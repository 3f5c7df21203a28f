using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Storage;

/// <summary>The daemon's record of runs, their steps, events and artifacts (one LiteDB file behind it).</summary>
/// <remarks>
/// Reads may come from any thread. Steps, events and artifacts are written by the <see cref="StoreWriter"/>
/// in batches; run documents are written directly by the run supervisor.
/// </remarks>
public interface IRunStore
{
    /// <summary>Inserts or replaces a run document.</summary>
    /// <param name="run">The run.</param>
    void SaveRun(StoredRun run);

    /// <summary>Changes a run document atomically with respect to the batched writer (which updates its step and checkpoint).</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="change">Returns the new document from the stored one.</param>
    /// <returns>The new document, or <see langword="null"/> when there is no such run.</returns>
    StoredRun? UpdateRun(string runId, Func<StoredRun, StoredRun> change);

    /// <summary>Gets a run by id.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The run, or <see langword="null"/> when there is none with that id.</returns>
    StoredRun? GetRun(string runId);

    /// <summary>Lists runs, newest first.</summary>
    /// <param name="offset">How many to skip.</param>
    /// <param name="limit">How many to return at most.</param>
    /// <param name="state">Only runs in this state, when given.</param>
    /// <returns>The page of runs.</returns>
    IReadOnlyList<StoredRun> ListRuns(int offset, int limit, RunState? state = null);

    /// <summary>Counts runs.</summary>
    /// <param name="state">Only runs in this state, when given.</param>
    /// <returns>The number of runs.</returns>
    int CountRuns(RunState? state = null);

    /// <summary>Reads the steps of a run in a step range, optionally downsampled.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="query">The range, the downsampling and the page size.</param>
    /// <returns>The steps in step order.</returns>
    IReadOnlyList<StepRecord> GetSteps(string runId, StepQuery query);

    /// <summary>Counts the stored steps of a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The number of steps.</returns>
    long CountSteps(string runId);

    /// <summary>Reads the events of a run in the order they were recorded.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="offset">How many to skip.</param>
    /// <param name="limit">How many to return at most.</param>
    /// <returns>The page of events.</returns>
    IReadOnlyList<RunEvent> GetEvents(string runId, int offset = 0, int limit = int.MaxValue);

    /// <summary>Gets the latest artifact of a kind attached to a run.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="kind">The artifact kind, for example <c>lr_finder</c>.</param>
    /// <returns>The artifact JSON, or <see langword="null"/>.</returns>
    string? GetArtifact(string runId, string kind);

    /// <summary>Writes one batch (steps, events, artifacts, checkpoint references) in a single transaction.</summary>
    /// <param name="batch">The writes, in the order they were queued.</param>
    void WriteBatch(IReadOnlyList<StoreWrite> batch);

    /// <summary>Deletes a run and everything recorded for it.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns><see langword="true"/> when the run existed.</returns>
    bool DeleteRun(string runId);
}

using LrDoctor.Storage;

namespace LrDoctor.Supervision;

/// <summary>Picks the checkpoint a run resumes from.</summary>
internal static class ResumeCheckpoint
{
    /// <summary>Gets the stored checkpoint, or else the newest one whose earlier steps are all stored, or <see langword="null"/>.</summary>
    /// <remarks>A worker keeps its last few checkpoints; after a crash the stored reference may have been rotated out,
    /// while a file no later than the step after the last stored one still leaves no gap in the steps.</remarks>
    /// <param name="run">The run as stored.</param>
    /// <param name="checkpointRoot">The folder holding one checkpoint folder per run.</param>
    /// <returns>The checkpoint file, or <see langword="null"/> to start from step 0.</returns>
    public static string? Choose(StoredRun run, string checkpointRoot)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.CheckpointPath is { } stored && File.Exists(stored))
        {
            return stored;
        }

        return WorkerCheckpoints.Kept(Path.GetFullPath(Path.Combine(checkpointRoot, run.Id)))
            .Where(c => c.Step <= run.Step + 1)
            .Select(c => c.File)
            .FirstOrDefault();
    }
}

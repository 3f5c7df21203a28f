using System.Globalization;
using LrDoctor.Torch;

namespace LrDoctor.Supervision;

/// <summary>A worker's checkpoint files: the engine writes one file per run; each is moved to a name carrying its step, and the last few are kept.</summary>
/// <remarks>The daemon stores a reference to a checkpoint only after the steps before it; keeping a few lets it
/// resume from the one it stored even if the worker wrote newer ones before a crash.</remarks>
/// <param name="directory">The run's checkpoint folder.</param>
/// <param name="runId">The run id (names the engine's file).</param>
/// <param name="keep">How many checkpoints to keep.</param>
internal sealed class WorkerCheckpoints(string directory, string runId, int keep = 5)
{
    /// <summary>Gets the file the engine writes.</summary>
    public string EngineFile { get; } = Path.Combine(directory, TrainingRun.CheckpointName(runId));

    /// <summary>Moves a checkpoint the engine just wrote to its own name; returns that path, or <see langword="null"/> when there is none.</summary>
    /// <param name="step">The step the checkpoint resumes at.</param>
    public string? Collect(long step)
    {
        if (!File.Exists(EngineFile))
        {
            return null;
        }

        string target = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"step-{step:D12}.ckpt"));
        File.Move(EngineFile, target, overwrite: true);
        foreach (string old in Directory.GetFiles(directory, "step-*.ckpt").OrderDescending(StringComparer.Ordinal).Skip(keep))
        {
            File.Delete(old);
        }

        return target;
    }
}

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
    private const string Prefix = "step-";
    private const string Extension = ".ckpt";

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

        string target = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{step:D12}{Extension}"));
        File.Move(EngineFile, target, overwrite: true);
        foreach (var (old, _) in Kept(directory).Skip(keep))
        {
            File.Delete(old);
        }

        return target;
    }

    /// <summary>Gets the checkpoints kept in a run's folder with the steps they resume at, newest first.</summary>
    /// <param name="directory">The run's checkpoint folder.</param>
    /// <returns>The files and their steps; none when the folder does not exist.</returns>
    public static IEnumerable<(string File, long Step)> Kept(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.GetFiles(directory, Prefix + "*" + Extension)
            .Select(f => (File: f, Step: long.TryParse(Path.GetFileNameWithoutExtension(f).AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s : -1))
            .Where(c => c.Step >= 0)
            .OrderByDescending(c => c.Step);
    }
}

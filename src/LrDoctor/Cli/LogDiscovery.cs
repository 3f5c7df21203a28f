using System.Globalization;
using System.Text.RegularExpressions;

namespace LrDoctor.Cli;

/// <summary>Finds the training logs under a folder, as the frameworks lay them out.</summary>
/// <remarks>
/// Lightning's <c>lightning_logs/version_*/metrics.csv</c>, TensorBoard's <c>events.out.tfevents.*</c>, Ultralytics'
/// <c>results.csv</c>, LLaMA-Factory's <c>trainer_log.jsonl</c>, DETR's <c>log.txt</c>, mmengine's
/// <c>vis_data/scalars.json</c>, Keras' <c>history.json</c> or CSVLogger file, and any <c>*.log</c>, <c>*.jsonl</c>
/// or <c>*.csv</c> with a log-like name. Hugging Face writes a <c>trainer_state.json</c> into every
/// <c>checkpoint-N</c> folder, each holding the history so far: only the run's final one (beside the checkpoints)
/// or else the newest checkpoint's is taken. Hidden folders and virtual environments are not searched.
/// </remarks>
internal static partial class LogDiscovery
{
    /// <summary>The names looked for, for messages.</summary>
    public const string Patterns = "metrics.csv, results.csv, events.out.tfevents.*, trainer_state.json, trainer_log.jsonl, log.txt, scalars.json, history.json, *.log, *.jsonl, *log*.csv, *history*.csv";

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "metrics.csv", "results.csv", "trainer_state.json", "trainer_log.jsonl", "log.txt", "scalars.json", "history.json",
    };

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        "node_modules", "site-packages", "__pycache__", "venv", "env",
    };

    /// <summary>Finds the logs under <paramref name="folder"/>, in path order.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The files.</returns>
    public static IReadOnlyList<string> Find(string folder)
    {
        var found = new List<string>();
        Walk(folder, found);
        return [.. TrainerStatesOnce(found).Order(StringComparer.Ordinal)];
    }

    private static void Walk(string folder, List<string> found)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            if (IsCandidate(Path.GetFileName(file)))
            {
                found.Add(file);
            }
        }

        foreach (string sub in Directory.EnumerateDirectories(folder))
        {
            string name = Path.GetFileName(sub);
            if (!name.StartsWith('.') && !SkippedFolders.Contains(name))
            {
                Walk(sub, found);
            }
        }
    }

    private static bool IsCandidate(string name) =>
        Names.Contains(name)
        || name.StartsWith("events.out.tfevents.", StringComparison.Ordinal)
        || name.EndsWith(".log", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
        || (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            && (name.Contains("log", StringComparison.OrdinalIgnoreCase) || name.Contains("history", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Keeps one <c>trainer_state.json</c> per run: the final one beside the checkpoints, or the newest checkpoint's.</summary>
    private static IEnumerable<string> TrainerStatesOnce(List<string> found)
    {
        var byRun = new Dictionary<string, (long Checkpoint, string File)>(StringComparer.Ordinal);
        foreach (string file in found)
        {
            if (!Path.GetFileName(file).Equals("trainer_state.json", StringComparison.OrdinalIgnoreCase))
            {
                yield return file;
                continue;
            }

            string folder = Path.GetDirectoryName(file)!;
            var match = CheckpointFolder().Match(Path.GetFileName(folder));
            string run = match.Success ? Path.GetDirectoryName(folder)! : folder;
            long checkpoint = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : long.MaxValue;
            if (!byRun.TryGetValue(run, out var best) || checkpoint > best.Checkpoint)
            {
                byRun[run] = (checkpoint, file);
            }
        }

        foreach (var (_, file) in byRun.Values)
        {
            yield return file;
        }
    }

    [GeneratedRegex(@"^checkpoint-(\d+)$")]
    private static partial Regex CheckpointFolder();
}

using System.Text.Json;
using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Logs;

namespace LrDoctor.Core.Tests.Diagnosis;

/// <summary>The labelled corpus of real training curves in tests/fixtures/curves (made by its generate.py).</summary>
internal static class CurveCorpus
{
    /// <summary>Gets the folder of the corpus.</summary>
    public static string Folder { get; } = Path.Combine(RepoRoot(), "tests", "fixtures", "curves");

    /// <summary>Gets the labels: file, number of steps, expected symptoms with their onset (none for a healthy run).</summary>
    public static IReadOnlyList<CurveLabel> Labels { get; } = LoadLabels();

    /// <summary>Reads and diagnoses a file of the corpus (or of its formats/ folder).</summary>
    public static LogDiagnosis Diagnose(string relativePath)
    {
        using var reader = new StreamReader(Path.Combine(Folder, relativePath));
        return LogDiagnostician.Diagnose(TrainingLog.Open(reader).ReadRecords());
    }

    private static List<CurveLabel> LoadLabels()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "labels.json")));
        var labels = new List<CurveLabel>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var expected = entry.GetProperty("expect").EnumerateArray()
                .Select(e => (e.GetProperty("symptom").GetString()!, e.GetProperty("onset").GetInt64()))
                .ToList();
            labels.Add(new CurveLabel(entry.GetProperty("file").GetString()!, entry.GetProperty("steps").GetInt64(), expected));
        }

        return labels;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LrDoctor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LrDoctor.sln not found above " + AppContext.BaseDirectory);
    }
}

using LrDoctor.Core.Detectors;

namespace LrDoctor.Core.Tests.Diagnosis;

/// <summary>The detectors against real training curves whose symptoms were checked when they were made.</summary>
public sealed class CorpusTests
{
    public static TheoryData<string> SickCurves() => [.. CurveCorpus.Labels.Where(l => l.Expected.Count > 0).Select(l => l.File)];

    public static TheoryData<string> HealthyCurves() => [.. CurveCorpus.Labels.Where(l => l.Expected.Count == 0).Select(l => l.File)];

    [Fact]
    public void Corpus_Labels_CoverEverySymptomAndHealthyRuns()
    {
        var labelled = CurveCorpus.Labels.SelectMany(l => l.Expected).Select(e => e.Symptom).ToHashSet();
        Assert.Equal(Symptoms.All.OrderBy(s => s), labelled.OrderBy(s => s));
        Assert.True(CurveCorpus.Labels.Count(l => l.Expected.Count == 0) >= 4, "at least four healthy runs");
    }

    [Theory]
    [MemberData(nameof(SickCurves))]
    public void Diagnose_LabelledCurve_FindsEachSymptomNearItsOnset(string file)
    {
        var label = CurveCorpus.Labels.Single(l => l.File == file);
        var diagnosis = CurveCorpus.Diagnose(file);
        long tolerance = Math.Max(50, label.Steps / 10);
        foreach (var (symptom, onset) in label.Expected)
        {
            var found = diagnosis.Findings.Where(f => f.Symptom == symptom).ToList();
            Assert.True(found.Count > 0, $"{file}: no {symptom}; found {Describe(diagnosis.Findings)}");
            long error = found.Min(f => Math.Abs(f.OnsetStep - onset));
            Assert.True(error <= tolerance, $"{file}: {symptom} onset off by {error} steps (tolerance {tolerance}); found {Describe(diagnosis.Findings)}");
        }
    }

    [Theory]
    [MemberData(nameof(HealthyCurves))]
    public void Diagnose_HealthyCurve_HasNoFindings(string file)
    {
        var diagnosis = CurveCorpus.Diagnose(file);
        Assert.True(diagnosis.Findings.Count == 0, $"{file}: false alarm {Describe(diagnosis.Findings)}");
        Assert.StartsWith("Healthy", diagnosis.Verdict, StringComparison.Ordinal);
    }

    private static string Describe(IEnumerable<Finding> findings) =>
        string.Join("; ", findings.Select(f => $"{f.Symptom}@{f.OnsetStep} (confirmed {f.DetectedStep})")) is { Length: > 0 } s ? s : "nothing";
}

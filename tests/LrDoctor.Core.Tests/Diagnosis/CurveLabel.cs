namespace LrDoctor.Core.Tests.Diagnosis;

/// <summary>One labelled curve of the corpus.</summary>
internal sealed record CurveLabel(string File, long Steps, IReadOnlyList<(string Symptom, long Onset)> Expected);

namespace LrDoctor.Core.Diagnosis;

/// <summary>The likely cause of a symptom and the action that treats it, as a finding states them.</summary>
/// <param name="Cause">The likely cause, in one sentence.</param>
/// <param name="Action">What to do, in one sentence.</param>
public sealed record Remedy(string Cause, string Action);

namespace LrDoctor.Core.Diagnosis;

/// <summary>An <c>info</c> finding of a diagnosis: something a user wants to hear about that is not a learning-rate symptom by itself.</summary>
/// <param name="Kind">What it is: <c>grad_norm_huge</c> or <c>grad_norm_spikes</c>.</param>
/// <param name="OnsetStep">The first step it concerns.</param>
/// <param name="Message">What was seen and what to check, in one or two sentences.</param>
/// <param name="Evidence">The numbers behind it.</param>
public sealed record LogHint(string Kind, long OnsetStep, string Message, IReadOnlyDictionary<string, double> Evidence)
{
    /// <summary>Gets the severity, always <c>info</c>: hints never make a run unhealthy.</summary>
    public string Severity => "info";
}

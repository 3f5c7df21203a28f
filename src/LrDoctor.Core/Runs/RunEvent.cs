namespace LrDoctor.Core.Runs;

/// <summary>Something that happened to a run at a step: a finding, an intervention, advice, a resume, an alert.</summary>
/// <param name="Step">The step at which it happened.</param>
/// <param name="Kind">One of <see cref="EventKind"/>.</param>
/// <param name="Reason">A human sentence saying why.</param>
/// <param name="TimeUnixMs">Wall-clock time in Unix milliseconds (UTC).</param>
public sealed record RunEvent(long Step, EventKind Kind, string Reason, long TimeUnixMs)
{
    /// <summary>Gets the symptom identifier, for findings and the interventions they caused.</summary>
    public string? Symptom { get; init; }

    /// <summary>Gets the learning rate before an LR change.</summary>
    public double? OldLr { get; init; }

    /// <summary>Gets the learning rate after an LR change.</summary>
    public double? NewLr { get; init; }

    /// <summary>Gets extra numbers (evidence of a finding, rolled-back-to step, ...), by name.</summary>
    public IReadOnlyDictionary<string, double>? Data { get; init; }
}

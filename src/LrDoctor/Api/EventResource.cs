using LrDoctor.Core.Runs;

namespace LrDoctor.Api;

/// <summary>A run event as the HTTP API shows it.</summary>
/// <param name="Step">The step.</param>
/// <param name="Kind">The kind (<see cref="EventKind"/>).</param>
/// <param name="Reason">Why.</param>
/// <param name="TimeUtc">When.</param>
internal sealed record EventResource(long Step, EventKind Kind, string Reason, DateTimeOffset TimeUtc)
{
    /// <summary>Gets the symptom, for findings and the interventions they caused.</summary>
    public string? Symptom { get; init; }

    /// <summary>Gets the LR before a change.</summary>
    public double? OldLr { get; init; }

    /// <summary>Gets the LR after a change.</summary>
    public double? NewLr { get; init; }

    /// <summary>Gets the numbers behind the event.</summary>
    public IReadOnlyDictionary<string, double>? Data { get; init; }

    /// <summary>Creates the resource of an event.</summary>
    public static EventResource From(RunEvent e) =>
        new(e.Step, e.Kind, e.Reason, DateTimeOffset.FromUnixTimeMilliseconds(e.TimeUnixMs))
        {
            Symptom = e.Symptom,
            OldLr = e.OldLr,
            NewLr = e.NewLr,
            Data = e.Data,
        };
}

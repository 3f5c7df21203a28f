using System.Text.Json.Serialization;

namespace LrDoctor.Core.LrFinder;

/// <summary>The outcome of an LR range test: the curve, every suggestion, the recommended LR and the LR where the loss starts to rise.</summary>
/// <param name="Points">The batches of the test, up to (not including) the first non-finite loss.</param>
/// <param name="Suggestions">What each suggestion rule reads off the curve.</param>
/// <param name="Recommended">The LR LrDoctor recommends (see <see cref="RecommendedRule"/>), or <see langword="null"/> when the curve shows no usable descent.</param>
/// <param name="DivergenceLr">The LR from which the loss rises again: a ceiling for any later LR increase; <see langword="null"/> when the loss never rose.</param>
/// <param name="StoppedEarly">Whether the test stopped before its last batch (loss blew up or went non-finite).</param>
/// <param name="Seconds">The wall-clock duration of the test, restoration included.</param>
public sealed record LrFinderResult(
    IReadOnlyList<LrFinderPoint> Points,
    LrFinderSuggestions Suggestions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Recommended,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? DivergenceLr,
    bool StoppedEarly,
    double Seconds)
{
    /// <summary>Gets the rule that gave <see cref="Recommended"/>: <c>geomean(valley,minimum)</c>, or <c>valley</c>, <c>minimum</c>, <c>steep</c> when it had to fall back, with <c>,capped</c> when the divergence ceiling lowered it.</summary>
    public string? RecommendedRule { get; init; }

    /// <summary>Gets why the test ended: <c>completed</c>, <c>diverged</c> (smoothed loss above the factor times its best) or <c>non_finite</c>.</summary>
    public string StopReason { get; init; } = LrFinderStopReasons.Completed;
}

using System.Text.Json.Serialization;

namespace LrDoctor.Core.LrFinder;

/// <summary>The learning rates each suggestion rule reads off a range test; <see langword="null"/> where a rule finds nothing to read.</summary>
/// <param name="Steep">The LR of the steepest descent of the loss trend with respect to log10(LR), away from the noisy start and the blow-up end.</param>
/// <param name="Valley">fastai's rule: the LR halfway down the longest descending run of the loss trend.</param>
/// <param name="Minimum">The LR of the lowest loss trend, divided by 10.</param>
public sealed record LrFinderSuggestions(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Steep,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Valley,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Minimum);

namespace LrDoctor.Core.Jobs;

/// <summary>A parameter group: the parameters whose name matches <see cref="Pattern"/> get their own LR multiplier and weight decay.</summary>
/// <param name="Pattern">A glob over parameter names (<c>*</c> matches any run of characters), for example <c>*.bias</c> or <c>blocks.0.*</c>.</param>
/// <param name="LrMultiplier">The group's LR as a multiple of the job's LR.</param>
/// <param name="WeightDecay">The group's weight decay, or <see langword="null"/> for the optimizer's.</param>
public sealed record ParamGroupSpec(string Pattern, double LrMultiplier = 1.0, double? WeightDecay = null);

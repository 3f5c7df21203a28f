using TorchSharp.Modules;

namespace LrDoctor.Torch.Training;

/// <summary>One optimizer parameter group: its parameters, its LR multiplier (pattern multiplier x layer decay) and its weight decay.</summary>
/// <param name="Name">A readable name: the pattern (or <c>default</c>) and the layer when layer decay is on.</param>
/// <param name="ParameterNames">The names of its parameters.</param>
/// <param name="Parameters">Its parameters.</param>
/// <param name="LrMultiplier">Its LR as a multiple of the headline LR.</param>
/// <param name="WeightDecay">Its weight decay, or <see langword="null"/> for the optimizer's.</param>
internal sealed record ParameterGroupPlan(string Name, IReadOnlyList<string> ParameterNames, IReadOnlyList<Parameter> Parameters, double LrMultiplier, double? WeightDecay);

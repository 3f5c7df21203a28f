using LrDoctor.Core.Jobs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Training;

/// <summary>Creates the TorchSharp optimizer of a job, one parameter group per <see cref="ParameterGroupPlan"/>, with PyTorch's defaults.</summary>
internal static class OptimizerFactory
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="spec">The optimizer spec.</param>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">The headline LR (group LRs are multiples of it).</param>
    /// <returns>The optimizer.</returns>
    public static OptimizerHelper Create(OptimizerSpec spec, IReadOnlyList<ParameterGroupPlan> groups, double lr)
    {
        double b1 = spec.Betas?[0] ?? 0.9;
        double b2 = spec.Betas?[1] ?? 0.999;
        return spec.Type switch
        {
            "sgd" => optim.SGD(groups.Select(g => new SGD.ParamGroup(g.Parameters, Options<SGD.Options>(g, lr))), lr, momentum: spec.Momentum ?? 0, weight_decay: spec.WeightDecay ?? 0, nesterov: spec.Nesterov),
            "adam" => optim.Adam(groups.Select(g => new Adam.ParamGroup(g.Parameters, Options<Adam.Options>(g, lr))), lr, b1, b2, spec.Eps ?? 1e-8, spec.WeightDecay ?? 0),
            "adamw" => optim.AdamW(groups.Select(g => new AdamW.ParamGroup(g.Parameters, Options<AdamW.Options>(g, lr))), lr, b1, b2, spec.Eps ?? 1e-8, spec.WeightDecay ?? 0.01),
            "rmsprop" => optim.RMSProp(groups.Select(g => new RMSProp.ParamGroup(g.Parameters, Options<RMSProp.Options>(g, lr))), lr, eps: spec.Eps ?? 1e-8, weight_decay: spec.WeightDecay ?? 0, momentum: spec.Momentum ?? 0),
            "adagrad" => optim.Adagrad(groups.Select(g => new Adagrad.ParamGroup(g.Parameters, Options<Adagrad.Options>(g, lr))), lr, weight_decay: spec.WeightDecay ?? 0, eps: spec.Eps ?? 1e-10),
            "adadelta" => optim.Adadelta(groups.Select(g => new Adadelta.ParamGroup(g.Parameters, Options<Adadelta.Options>(g, lr))), lr, eps: spec.Eps ?? 1e-6, weight_decay: spec.WeightDecay ?? 0),
            "adamax" => optim.Adamax(groups.Select(g => new Adamax.ParamGroup(g.Parameters, Options<Adamax.Options>(g, lr))), lr, b1, b2, spec.Eps ?? 1e-8, spec.WeightDecay ?? 0),
            "nadam" => optim.NAdam(groups.Select(g => new NAdam.ParamGroup(g.Parameters, Options<NAdam.Options>(g, lr))), lr, b1, b2, spec.Eps ?? 1e-8, spec.WeightDecay ?? 0),
            "radam" => new RectifiedAdam(groups.Select(g => new RAdam.ParamGroup(g.Parameters, Options<RAdam.Options>(g, lr))), lr, b1, b2, spec.Eps ?? 1e-8, spec.WeightDecay ?? 0),
            _ => throw new Core.SpecException("optimizer.type", $"unknown value '{spec.Type}'; allowed: {string.Join(", ", OptimizerSpec.Types)}"),
        };
    }

    private static TOptions Options<TOptions>(ParameterGroupPlan group, double lr)
        where TOptions : OptimizerOptions, new()
    {
        var options = new TOptions { LearningRate = lr * group.LrMultiplier };
        if (group.WeightDecay is { } wd)
        {
            // Every TorchSharp options class names the field weight_decay; set it through the one shape they share.
            typeof(TOptions).GetField("weight_decay")!.SetValue(options, (double?)wd);
        }

        return options;
    }
}

namespace LrDoctor.Core.Jobs;

/// <summary>The optimizer of a job: type, learning rate, hyperparameters and parameter groups.</summary>
public sealed record OptimizerSpec
{
    /// <summary>Gets every optimizer type (all those of TorchSharp 0.107 that take a learning rate and a plain step).</summary>
    public static IReadOnlyList<string> Types { get; } =
        ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "radam"];

    /// <summary>Gets the optimizer types whose momentum is Adam's beta1.</summary>
    public static IReadOnlyList<string> AdamFamily { get; } = ["adam", "adamw", "adamax", "nadam", "radam"];

    /// <summary>Gets the optimizer type, one of <see cref="Types"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the base learning rate (before schedule, batch scaling and interventions).</summary>
    public required double Lr { get; init; }

    /// <summary>Gets the momentum of SGD and RMSprop.</summary>
    public double? Momentum { get; init; }

    /// <summary>Gets whether SGD uses Nesterov momentum.</summary>
    public bool Nesterov { get; init; }

    /// <summary>Gets Adam's (beta1, beta2), when given.</summary>
    public IReadOnlyList<double>? Betas { get; init; }

    /// <summary>Gets the weight decay, when given (L2 for most optimizers, decoupled for AdamW).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Gets the epsilon of adaptive optimizers, when given.</summary>
    public double? Eps { get; init; }

    /// <summary>Gets the parameter groups by name pattern; parameters matching none stay in the default group (group 0).</summary>
    public IReadOnlyList<ParamGroupSpec> ParamGroups { get; init; } = [];

    /// <summary>Gets the layer-wise LR decay gamma: layer l of L gets lr * gamma^(L-l), for discriminative fine-tuning.</summary>
    public double? LayerDecay { get; init; }
}

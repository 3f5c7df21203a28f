namespace LrDoctor.Core.Jobs;

/// <summary>How the LR follows a batch size changed from the job's base batch size.</summary>
public static class BatchScaling
{
    /// <summary>No scaling.</summary>
    public const string None = "none";

    /// <summary>lr x (batch / base): the linear scaling rule of Goyal et al. for SGD.</summary>
    public const string Linear = "linear";

    /// <summary>lr x sqrt(batch / base): the square-root rule usually preferred for adaptive optimizers.</summary>
    public const string Sqrt = "sqrt";

    /// <summary>Gets every rule.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Linear, Sqrt];

    /// <summary>Gets the LR factor of a rule.</summary>
    /// <param name="rule">One of <see cref="All"/>.</param>
    /// <param name="batchSize">The job's batch size.</param>
    /// <param name="baseBatchSize">The batch size the LR was tuned for.</param>
    /// <returns>The factor the LR is multiplied by.</returns>
    public static double Factor(string rule, int batchSize, int baseBatchSize) => rule switch
    {
        Linear => (double)batchSize / baseBatchSize,
        Sqrt => Math.Sqrt((double)batchSize / baseBatchSize),
        _ => 1.0,
    };
}

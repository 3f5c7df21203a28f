namespace LrDoctor.Core.Logs;

/// <summary>What a column (or JSON key) of a training log holds.</summary>
internal enum LogField
{
    /// <summary>A column LrDoctor does not use.</summary>
    Ignored,

    /// <summary>The optimizer step.</summary>
    Step,

    /// <summary>The training loss.</summary>
    TrainLoss,

    /// <summary>The validation loss.</summary>
    ValLoss,

    /// <summary>The learning rate.</summary>
    Lr,

    /// <summary>The gradient norm.</summary>
    GradNorm,

    /// <summary>The epoch.</summary>
    Epoch,
}

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

    /// <summary>One part of a training loss logged as a sum of parts (Ultralytics <c>train/box_loss</c>).</summary>
    TrainLossPart,

    /// <summary>One part of a validation loss logged as a sum of parts (Ultralytics <c>val/box_loss</c>).</summary>
    ValLossPart,
}

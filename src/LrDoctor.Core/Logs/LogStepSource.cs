namespace LrDoctor.Core.Logs;

/// <summary>Where the step of each record of a log comes from, so that a report can say how far to trust it.</summary>
public enum LogStepSource
{
    /// <summary>The log names the optimizer step.</summary>
    Logged,

    /// <summary>The log has one entry per epoch and no step: the epoch number stands for the step.</summary>
    Epoch,

    /// <summary>The log counts batches within each epoch (<c>200/2983</c>) and the counter restarts: the step is rebuilt as the running total.</summary>
    BatchCounter,

    /// <summary>The log names no step: the step is the number of the training entry, in file order.</summary>
    LineOrder,
}

namespace LrDoctor.Core.Logs;

/// <summary>The layouts of training logs that <see cref="TrainingLog"/> recognises.</summary>
public enum LogFormat
{
    /// <summary>CSV with a header and a step column (LrDoctor's own, PyTorch scripts, Lightning CSVLogger's metrics.csv).</summary>
    Csv,

    /// <summary>CSV with an <c>epoch</c> column and no step column (Keras CSVLogger): the epoch is the step.</summary>
    EpochCsv,

    /// <summary>One JSON object per line with the same keys as the CSV.</summary>
    JsonLines,

    /// <summary>Hugging Face Trainer's <c>trainer_state.json</c> (its <c>log_history</c>).</summary>
    TrainerState,
}

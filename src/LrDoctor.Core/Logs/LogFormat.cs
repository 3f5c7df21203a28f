namespace LrDoctor.Core.Logs;

/// <summary>The layouts of training logs that <see cref="TrainingLog"/> recognises (from the content, not the file name).</summary>
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

    /// <summary>A text log: HF Trainer stdout dicts, Python <c>logging</c> lines, PyTorch example scripts, <c>key: value</c> lines.</summary>
    Text,

    /// <summary>A TensorBoard event file (<c>events.out.tfevents.*</c>).</summary>
    TensorBoard,

    /// <summary>Ultralytics YOLO's <c>results.csv</c>: per-epoch loss parts summed into the train and validation loss.</summary>
    Ultralytics,

    /// <summary>LLaMA-Factory's <c>trainer_log.jsonl</c> (<c>current_steps</c>).</summary>
    LlamaFactory,

    /// <summary>JSON Lines with one line per epoch and no step (DETR's <c>log.txt</c>): the epoch is the step.</summary>
    EpochJsonLines,

    /// <summary>Keras <c>history.history</c> dumped as JSON (<c>{"loss": [...], "val_loss": [...]}</c>): one entry per epoch.</summary>
    KerasHistory,

    /// <summary>OpenMMLab mmengine's <c>vis_data/scalars.json</c> (JSON Lines; evaluation lines stamped with the epoch are skipped).</summary>
    Mmengine,
}

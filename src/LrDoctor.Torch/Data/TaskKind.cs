namespace LrDoctor.Torch.Data;

/// <summary>The kind of learning task, which decides the loss and whether accuracy is measured.</summary>
internal enum TaskKind
{
    /// <summary>Class labels; cross-entropy; accuracy.</summary>
    Classification,

    /// <summary>One real target; mean squared error.</summary>
    Regression,

    /// <summary>Next-character prediction; cross-entropy over every position.</summary>
    Language,
}

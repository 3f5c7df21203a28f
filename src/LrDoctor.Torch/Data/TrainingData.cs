using static TorchSharp.torch;

namespace LrDoctor.Torch.Data;

/// <summary>The examples of a job, split into training and validation, as tensors; batches are drawn by example index.</summary>
internal abstract class TrainingData : IDisposable
{
    /// <summary>Gets the kind of task, which decides the loss.</summary>
    public abstract TaskKind Task { get; }

    /// <summary>Gets the number of input features (tabular) or the vocabulary size (text).</summary>
    public abstract int Inputs { get; }

    /// <summary>Gets the number of outputs: classes, 1 for regression, the vocabulary size for text.</summary>
    public abstract int Outputs { get; }

    /// <summary>Gets the number of training examples a batch index may address.</summary>
    public abstract long TrainCount { get; }

    /// <summary>Gets the number of validation examples.</summary>
    public abstract long ValCount { get; }

    /// <summary>Gets the inputs and targets of the training examples at <paramref name="indices"/> (a 1-D int64 tensor).</summary>
    public abstract (Tensor X, Tensor Y) TrainBatch(Tensor indices);

    /// <summary>Gets the validation examples from <paramref name="start"/> (at most <paramref name="count"/>).</summary>
    public abstract (Tensor X, Tensor Y) ValBatch(long start, long count);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the tensors.</summary>
    protected abstract void Dispose(bool disposing);
}

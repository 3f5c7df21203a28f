using static TorchSharp.torch;

namespace LrDoctor.Torch.Data;

/// <summary>Tabular examples (features and one target per row) held as float tensors.</summary>
internal sealed class TabularData : TrainingData
{
    private readonly Tensor _trainX;
    private readonly Tensor _trainY;
    private readonly Tensor _valX;
    private readonly Tensor _valY;

    /// <summary>Initializes a new instance of the <see cref="TabularData"/> class, splitting the rows with a seeded shuffle.</summary>
    /// <param name="features">Row-major features, <paramref name="rows"/> x <paramref name="columns"/>.</param>
    /// <param name="targets">One target per row: a class index, or a real value for regression.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of features.</param>
    /// <param name="task">Classification or regression.</param>
    /// <param name="classes">The number of classes (1 for regression).</param>
    /// <param name="valFraction">The fraction of rows held out.</param>
    /// <param name="seed">The seed of the split.</param>
    /// <param name="standardize">Whether to standardise each feature with the training rows' mean and deviation.</param>
    public TabularData(float[] features, float[] targets, int rows, int columns, TaskKind task, int classes, double valFraction, int seed, bool standardize)
    {
        Task = task;
        Inputs = columns;
        Outputs = task == TaskKind.Classification ? classes : 1;
        int[] order = [.. Enumerable.Range(0, rows)];
        new Random(seed).Shuffle(order);
        int valCount = (int)Math.Round(rows * valFraction);
        int trainCount = rows - valCount;
        if (trainCount < 1)
        {
            throw new InvalidDataException("no training rows left after the validation split");
        }

        var trainRows = order.AsSpan(valCount).ToArray();
        var valRows = order.AsSpan(0, valCount).ToArray();
        if (standardize)
        {
            Standardize(features, columns, trainRows);
        }

        (_trainX, _trainY) = Build(features, targets, columns, trainRows, task);
        (_valX, _valY) = Build(features, targets, columns, valRows, task);
        TrainCount = trainCount;
        ValCount = valCount;
    }

    /// <inheritdoc/>
    public override TaskKind Task { get; }

    /// <inheritdoc/>
    public override int Inputs { get; }

    /// <inheritdoc/>
    public override int Outputs { get; }

    /// <inheritdoc/>
    public override long TrainCount { get; }

    /// <inheritdoc/>
    public override long ValCount { get; }

    /// <inheritdoc/>
    public override (Tensor X, Tensor Y) TrainBatch(Tensor indices) => (_trainX.index_select(0, indices), _trainY.index_select(0, indices));

    /// <inheritdoc/>
    public override (Tensor X, Tensor Y) ValBatch(long start, long count)
    {
        long n = Math.Min(count, ValCount - start);
        return (_valX.narrow(0, start, n), _valY.narrow(0, start, n));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _trainX.Dispose();
        _trainY.Dispose();
        _valX.Dispose();
        _valY.Dispose();
    }

    private static void Standardize(float[] features, int columns, int[] trainRows)
    {
        for (int c = 0; c < columns; c++)
        {
            double sum = 0;
            double sumSq = 0;
            foreach (int r in trainRows)
            {
                double v = features[(r * columns) + c];
                sum += v;
                sumSq += v * v;
            }

            double mean = sum / trainRows.Length;
            double std = Math.Sqrt(Math.Max(0, (sumSq / trainRows.Length) - (mean * mean)));
            double scale = std > 1e-12 ? 1.0 / std : 1.0;
            for (int i = c; i < features.Length; i += columns)
            {
                features[i] = (float)((features[i] - mean) * scale);
            }
        }
    }

    private static (Tensor X, Tensor Y) Build(float[] features, float[] targets, int columns, int[] rows, TaskKind task)
    {
        var x = new float[rows.Length * columns];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(features, rows[i] * columns, x, i * columns, columns);
        }

        var xt = tensor(x, [rows.Length, columns]);
        Tensor yt = task == TaskKind.Classification
            ? tensor(rows.Select(r => (long)targets[r]).ToArray(), [rows.Length])
            : tensor(rows.Select(r => targets[r]).ToArray(), [rows.Length, 1]);
        return (xt, yt);
    }
}

namespace LrDoctor.Torch.Training;

/// <summary>The seeded order in which training examples are drawn: a fresh permutation per epoch, full batches only.</summary>
/// <remarks>The order is a pure function of (seed, position), so a checkpoint that stores <see cref="Position"/> resumes the exact batch sequence.</remarks>
internal sealed class BatchOrder
{
    private readonly long _count;
    private readonly int _seed;
    private long[]? _permutation;
    private long _permutationEpoch = -1;

    /// <summary>Initializes a new instance of the <see cref="BatchOrder"/> class.</summary>
    /// <param name="count">The number of training examples.</param>
    /// <param name="batchSize">The batch size (at most <paramref name="count"/> is used).</param>
    /// <param name="seed">The job's seed.</param>
    public BatchOrder(long count, int batchSize, int seed)
    {
        _count = count;
        _seed = seed;
        BatchSize = (int)Math.Min(batchSize, count);
        BatchesPerEpoch = count / BatchSize;
    }

    /// <summary>Gets the effective batch size.</summary>
    public int BatchSize { get; }

    /// <summary>Gets the number of batches in an epoch.</summary>
    public long BatchesPerEpoch { get; }

    /// <summary>Gets or sets the number of batches drawn so far (the data position).</summary>
    public long Position { get; set; }

    /// <summary>Gets the epoch of the next batch, fractional.</summary>
    public double Epoch => (double)Position / BatchesPerEpoch;

    /// <summary>Draws the next batch's example indices.</summary>
    /// <returns>The indices, <see cref="BatchSize"/> of them.</returns>
    public long[] Next()
    {
        long epoch = Position / BatchesPerEpoch;
        long offset = Position % BatchesPerEpoch * BatchSize;
        if (epoch != _permutationEpoch)
        {
            _permutation ??= new long[_count];
            for (long i = 0; i < _count; i++)
            {
                _permutation[i] = i;
            }

            // HashCode is randomised per process; the epoch's seed must be the same in every process for resume and reproducibility.
            new Random(unchecked((int)((_seed * 1_000_003L) + (epoch * 7919L) + 0x5eed))).Shuffle(_permutation);
            _permutationEpoch = epoch;
        }

        Position++;
        return _permutation.AsSpan((int)offset, BatchSize).ToArray();
    }
}

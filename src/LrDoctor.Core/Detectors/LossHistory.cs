namespace LrDoctor.Core.Detectors;

/// <summary>The whole log-loss curve of a run so far, kept as 32 to 64 equal blocks of means: fixed memory, O(1) amortised per step.</summary>
/// <remarks>
/// When the 64 slots are full, neighbouring blocks are averaged pairwise and the block size doubles, so the history always
/// spans the whole run at a resolution of 1/32 to 1/64 of it. Block means average the per-batch noise away, which
/// makes "is it still improving?" a question about a smooth curve. Each block also keeps its first step and the last LR
/// seen in it. The roughness of the raw curve (the share of consecutive changes that reverse direction) tells per-batch
/// losses (about two thirds reverse) from per-epoch ones (few reverse).
/// </remarks>
internal sealed class LossHistory
{
    private const int Capacity = 64;
    private readonly double[] _means = new double[Capacity];
    private readonly long[] _steps = new long[Capacity];
    private readonly double[] _lrs = new double[Capacity];
    private readonly double[] _variances = new double[Capacity];
    private double _sum;
    private double _sumSquares;
    private int _inBlock;
    private long _blockStep;
    private double _blockLr = double.NaN;
    private double _previous = double.NaN;
    private int _previousSign;
    private long _reversals;
    private long _changes;
    private double _sumSquaredChanges;
    private double _startSum;
    private int _startCount;

    /// <summary>Gets the number of complete blocks.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the number of observations in a block.</summary>
    public int BlockSize { get; private set; } = 1;

    /// <summary>Gets the number of observations added.</summary>
    public long Observations { get; private set; }

    /// <summary>Gets the step of the first observation.</summary>
    public long FirstStep { get; private set; }

    /// <summary>Gets the starting level: the mean log-loss of the first (up to) four observations.</summary>
    public double Start => _startCount == 0 ? double.NaN : _startSum / _startCount;

    /// <summary>Gets the largest LR seen (NaN when the log has no LR).</summary>
    public double MaxLr { get; private set; } = double.NaN;

    /// <summary>Gets the last LR seen (NaN when the log has no LR).</summary>
    public double LastLr { get; private set; } = double.NaN;

    /// <summary>Gets the share of consecutive changes of the raw curve that reverse direction (0 on a monotone curve, about 2/3 on noise).</summary>
    public double Roughness => _changes == 0 ? 0 : (double)_reversals / _changes;

    /// <summary>Gets the number of observations needed before the trend of this curve is judged: more when it is noisy (per-batch) than when it is smooth (per-epoch).</summary>
    /// <param name="options">The thresholds.</param>
    /// <returns>The minimum.</returns>
    public long MinObservations(DetectorOptions options) =>
        Roughness > 0.3 ? options.MinNoisyObservations : options.MinSmoothObservations;

    /// <summary>Gets the mean log-loss of block <paramref name="index"/>.</summary>
    /// <param name="index">The block, 0 = oldest.</param>
    /// <returns>The mean.</returns>
    public double Mean(int index) => _means[index];

    /// <summary>Gets the first step of block <paramref name="index"/>.</summary>
    /// <param name="index">The block.</param>
    /// <returns>The step.</returns>
    public long Step(int index) => _steps[index];

    /// <summary>Gets the last LR seen in block <paramref name="index"/> (NaN when none).</summary>
    /// <param name="index">The block.</param>
    /// <returns>The LR.</returns>
    public double Lr(int index) => _lrs[index];

    /// <summary>Gets the lowest block mean among blocks [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <param name="from">The first block.</param>
    /// <param name="to">One past the last block.</param>
    /// <returns>The minimum, or +infinity for an empty range.</returns>
    public double Min(int from, int to)
    {
        double min = double.PositiveInfinity;
        for (int i = from; i < to; i++)
        {
            min = Math.Min(min, _means[i]);
        }

        return min;
    }

    /// <summary>Gets the average of the block means among blocks [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <param name="from">The first block.</param>
    /// <param name="to">One past the last block.</param>
    /// <returns>The average, or NaN for an empty range.</returns>
    public double Average(int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++)
        {
            sum += _means[i];
        }

        return to > from ? sum / (to - from) : double.NaN;
    }

    /// <summary>Gets the highest block mean among blocks [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <param name="from">The first block.</param>
    /// <param name="to">One past the last block.</param>
    /// <returns>The maximum, or -infinity for an empty range.</returns>
    public double Max(int from, int to)
    {
        double max = double.NegativeInfinity;
        for (int i = from; i < to; i++)
        {
            max = Math.Max(max, _means[i]);
        }

        return max;
    }

    /// <summary>Gets the first block whose mean is at or below <paramref name="level"/>: where the curve entered its current band.</summary>
    /// <param name="level">The log-loss level.</param>
    /// <returns>The block, or <see cref="Count"/> when none.</returns>
    public int FirstAtOrBelow(double level)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_means[i] <= level)
            {
                return i;
            }
        }

        return Count;
    }

    /// <summary>
    /// Gets how much the block means of [<paramref name="from"/>, <paramref name="to"/>) wander compared with what the noise
    /// inside the blocks explains: about 1 for a smooth trend plus independent per-batch noise, well above 1 when the
    /// loss level itself moves up and down from block to block.
    /// </summary>
    /// <param name="from">The first block.</param>
    /// <param name="to">One past the last block (at least two blocks).</param>
    /// <returns>The ratio of the von Neumann variance of the block means to the variance of a block mean expected from the noise.</returns>
    /// <remarks>Successive differences rather than deviations from the mean, so a steady trend does not count as wandering.</remarks>
    public double WanderRatio(int from, int to)
    {
        double between = 0;
        double within = 0;
        double largest = 0;
        double second = 0;
        for (int i = from; i < to; i++)
        {
            within += _variances[i];
            if (i > from)
            {
                double d = _means[i] - _means[i - 1];
                between += d * d;
                if (d * d > largest)
                {
                    second = largest;
                    largest = d * d;
                }
                else if (d * d > second)
                {
                    second = d * d;
                }
            }
        }

        // A single spike is one jump up and one down: leave the two largest changes out, so only repeated bouncing counts.
        int changes = to - from - 1;
        between = changes > 4 ? (between - largest - second) / (2.0 * (changes - 2)) : between / (2.0 * changes);
        within /= (to - from) * (double)BlockSize;
        return within > 0 ? between / within : double.PositiveInfinity;
    }

    /// <summary>Gets the ratio of the largest to the smallest block LR among blocks [<paramref name="from"/>, <paramref name="to"/>) (1 when the log has no LR).</summary>
    /// <param name="from">The first block.</param>
    /// <param name="to">One past the last block.</param>
    /// <returns>The swing of the LR.</returns>
    public double LrSwing(int from, int to)
    {
        double min = double.PositiveInfinity;
        double max = 0;
        for (int i = from; i < to; i++)
        {
            if (_lrs[i] > 0)
            {
                min = Math.Min(min, _lrs[i]);
                max = Math.Max(max, _lrs[i]);
            }
        }

        return max > 0 ? max / min : 1;
    }

    /// <summary>Splits the history into an earlier part and a recent window, the last <paramref name="fraction"/> of the run (at least <paramref name="minObservations"/>).</summary>
    /// <param name="fraction">The share of the run in the window (at most one half).</param>
    /// <param name="minObservations">The smallest window in observations.</param>
    /// <param name="minImprovement">The fall of the mean log-loss that counts as progress.</param>
    /// <param name="window">The window, when the history holds at least 8 blocks and two windows.</param>
    /// <returns><see langword="true"/> when there is a window.</returns>
    /// <remarks>
    /// Progress compares the mean of the window with the mean of the window before it: minima of noisy block means
    /// are biased by lucky batches, means are not.
    /// </remarks>
    public bool TryGetWindow(double fraction, int minObservations, double minImprovement, out HistoryWindow window)
    {
        window = default;
        if (Count < 8)
        {
            return false;
        }

        int size = Math.Max((int)Math.Ceiling(Count * fraction), (minObservations + BlockSize - 1) / BlockSize);
        size = Math.Max(2, size);
        if (Count - (2 * size) < 0)
        {
            return false;
        }

        int split = Count - size;
        double recentMean = Average(split, Count);
        double previousMean = Average(split - size, split);
        window = new HistoryWindow(split, Min(0, split), Min(split, Count), Max(split, Count), recentMean, previousMean, recentMean > previousMean - minImprovement);
        return true;
    }

    /// <summary>Gets the standard error of the mean log-loss of blocks [<paramref name="from"/>, <paramref name="to"/>), from the noise inside the blocks.</summary>
    /// <param name="from">The first block.</param>
    /// <param name="to">One past the last block.</param>
    /// <returns>The standard error.</returns>
    public double StandardError(int from, int to)
    {
        if (BlockSize < 4)
        {
            // Too few observations per block to measure the noise inside them: take it from consecutive changes.
            double perObservation = _changes == 0 ? 0 : _sumSquaredChanges / (2.0 * (_changes + 1));
            return Math.Sqrt(perObservation / ((to - from) * (double)BlockSize));
        }

        double within = 0;
        for (int i = from; i < to; i++)
        {
            within += _variances[i];
        }

        return Math.Sqrt(within / (to - from) / ((to - from) * (double)BlockSize));
    }

    /// <summary>Gets whether the window bounces rather than lies flat: its block means wander more than the noise explains, or its level climbed back well above the earlier best.</summary>
    /// <param name="window">The window.</param>
    /// <param name="wanderRatio">The wander ratio above which the block means bounce.</param>
    /// <param name="relapse">The log of the factor above the earlier best that counts as having climbed back.</param>
    /// <param name="progressLost">The share of the progress from the start to the earlier best that a climb must also give back.</param>
    /// <returns><see langword="true"/> when bouncing.</returns>
    /// <remarks>
    /// The climb is judged on the log scale, which makes it scale-free, but near convergence the log scale magnifies
    /// nothing into something: a training loss that went from 0.0006 back to 0.003 climbed 4x yet gave back 0.1% of the
    /// way from the untrained 2.3. Such a climb also has to give back <paramref name="progressLost"/> of that way.
    /// </remarks>
    public bool Bounces(in HistoryWindow window, double wanderRatio, double relapse, double progressLost)
    {
        if (BlockSize < 4)
        {
            return false;
        }

        if (WanderRatio(window.Split, Count) > wanderRatio)
        {
            return true;
        }

        double blockNoise = StandardError(window.Split, Count) * Math.Sqrt(Count - window.Split);
        if (!(window.RecentMean > window.EarlierMin + relapse + (3 * blockNoise)))
        {
            return false;
        }

        double best = Math.Exp(window.EarlierMin);
        return !(Start > window.EarlierMin)
            || Math.Exp(window.RecentMean) > best + (progressLost * (Math.Exp(Start) - best));
    }

    /// <summary>Adds one observation.</summary>
    /// <param name="step">Its step.</param>
    /// <param name="logLoss">The logarithm of its (finite, positive) loss.</param>
    /// <param name="lr">Its LR, when logged.</param>
    /// <returns><see langword="true"/> when a block was completed by this observation.</returns>
    public bool Add(long step, double logLoss, double? lr)
    {
        if (Observations++ == 0)
        {
            FirstStep = step;
        }

        if (_startCount < 4)
        {
            _startSum += logLoss;
            _startCount++;
        }

        TrackRoughness(logLoss);
        if (lr is { } l && double.IsFinite(l))
        {
            _blockLr = l;
            LastLr = l;
            MaxLr = double.IsNaN(MaxLr) ? l : Math.Max(MaxLr, l);
        }

        if (_inBlock == 0)
        {
            _blockStep = step;
        }

        _sum += logLoss;
        _sumSquares += logLoss * logLoss;
        if (++_inBlock < BlockSize)
        {
            return false;
        }

        double mean = _sum / _inBlock;
        _means[Count] = mean;
        _variances[Count] = Math.Max(0, (_sumSquares / _inBlock) - (mean * mean));
        _steps[Count] = _blockStep;
        _lrs[Count] = _blockLr;
        Count++;
        _sum = 0;
        _sumSquares = 0;
        _inBlock = 0;
        if (Count == Capacity)
        {
            for (int i = 0; i < Capacity / 2; i++)
            {
                double half = (_means[2 * i] - _means[(2 * i) + 1]) / 2;
                _variances[i] = ((_variances[2 * i] + _variances[(2 * i) + 1]) / 2) + (half * half);
                _means[i] = (_means[2 * i] + _means[(2 * i) + 1]) / 2;
                _steps[i] = _steps[2 * i];
                _lrs[i] = double.IsNaN(_lrs[(2 * i) + 1]) ? _lrs[2 * i] : _lrs[(2 * i) + 1];
            }

            Count = Capacity / 2;
            BlockSize *= 2;
        }

        return true;
    }

    /// <summary>Sets the start to a level known from before this history began (the run's untrained loss after a regime reset).</summary>
    /// <param name="logStart">The log of that loss.</param>
    public void AnchorStart(double logStart)
    {
        _startSum = 4 * logStart;
        _startCount = 4;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        Count = 0;
        BlockSize = 1;
        Observations = 0;
        _sum = 0;
        _sumSquares = 0;
        _inBlock = 0;
        _blockLr = double.NaN;
        MaxLr = double.NaN;
        LastLr = double.NaN;
        _previous = double.NaN;
        _previousSign = 0;
        _reversals = 0;
        _changes = 0;
        _sumSquaredChanges = 0;
        _startSum = 0;
        _startCount = 0;
    }

    private void TrackRoughness(double logLoss)
    {
        if (!double.IsNaN(_previous))
        {
            _sumSquaredChanges += (logLoss - _previous) * (logLoss - _previous);
            int sign = Math.Sign(logLoss - _previous);
            if (sign != 0)
            {
                if (_previousSign != 0)
                {
                    _changes++;
                    if (sign != _previousSign)
                    {
                        _reversals++;
                    }
                }

                _previousSign = sign;
            }
        }

        _previous = logLoss;
    }
}

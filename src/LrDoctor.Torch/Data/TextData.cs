using static TorchSharp.torch;

namespace LrDoctor.Torch.Data;

/// <summary>A text modelled character by character: an example is a window of <c>context</c> characters and the same window shifted by one.</summary>
internal sealed class TextData : TrainingData
{
    private const int MaxValWindows = 256;
    private readonly Tensor _train;
    private readonly Tensor _val;
    private readonly Tensor _offsets;
    private readonly int _context;

    /// <summary>Initializes a new instance of the <see cref="TextData"/> class.</summary>
    /// <param name="text">The whole text.</param>
    /// <param name="context">The window length.</param>
    /// <param name="valFraction">The fraction at the end of the text held out.</param>
    public TextData(string text, int context, double valFraction)
    {
        var vocabulary = text.Distinct().Order().ToArray();
        var index = new Dictionary<char, long>();
        for (int i = 0; i < vocabulary.Length; i++)
        {
            index[vocabulary[i]] = i;
        }

        Vocabulary = new string(vocabulary);
        long[] ids = [.. text.Select(c => index[c])];
        int valLength = (int)(ids.Length * valFraction);
        if (valFraction > 0 && valLength < context + 1)
        {
            valLength = Math.Min(ids.Length, context + 1);
        }

        int trainLength = ids.Length - valLength;
        if (trainLength < context + 2)
        {
            throw new InvalidDataException($"text too short: {ids.Length} characters for a context of {context} and a validation fraction of {valFraction}");
        }

        _context = context;
        _train = tensor(ids.AsSpan(0, trainLength).ToArray());
        _val = tensor(ids.AsSpan(trainLength).ToArray());
        _offsets = arange(context + 1, dtype: ScalarType.Int64);
        TrainCount = trainLength - context;
        long valWindows = Math.Max(0, valLength - context);
        ValCount = Math.Min(valWindows, MaxValWindows);
        ValStride = ValCount == 0 ? 1 : Math.Max(1, valWindows / ValCount);
    }

    /// <summary>Gets the characters of the vocabulary, in index order.</summary>
    public string Vocabulary { get; }

    /// <inheritdoc/>
    public override TaskKind Task => TaskKind.Language;

    /// <inheritdoc/>
    public override int Inputs => Vocabulary.Length;

    /// <inheritdoc/>
    public override int Outputs => Vocabulary.Length;

    /// <inheritdoc/>
    public override long TrainCount { get; }

    /// <inheritdoc/>
    public override long ValCount { get; }

    private long ValStride { get; }

    /// <inheritdoc/>
    public override (Tensor X, Tensor Y) TrainBatch(Tensor indices) => Windows(_train, indices);

    /// <inheritdoc/>
    public override (Tensor X, Tensor Y) ValBatch(long start, long count)
    {
        long n = Math.Min(count, ValCount - start);
        using var starts = arange(start, start + n, dtype: ScalarType.Int64).mul(ValStride);
        return Windows(_val, starts);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _train.Dispose();
        _val.Dispose();
        _offsets.Dispose();
    }

    private (Tensor X, Tensor Y) Windows(Tensor source, Tensor starts)
    {
        using var positions = starts.unsqueeze(1).add(_offsets.unsqueeze(0));
        using var tokens = source.index(positions);
        return (tokens.narrow(1, 0, _context), tokens.narrow(1, 1, _context));
    }
}

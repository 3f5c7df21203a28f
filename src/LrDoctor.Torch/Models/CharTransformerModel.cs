using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Models;

/// <summary>A small decoder-only character language model: token and position embeddings, <c>blocks.i</c>, a final norm and a linear head.</summary>
internal sealed class CharTransformerModel : LayeredModel
{
    private readonly Embedding _tokens;
    private readonly Embedding _positions;
    private readonly ModuleList<CausalSelfAttentionBlock> _blocks = new();
    private readonly LayerNorm _norm;
    private readonly Linear _head;

    /// <summary>Initializes a new instance of the <see cref="CharTransformerModel"/> class.</summary>
    public CharTransformerModel(int vocabulary, int context, int dModel, int heads, int blocks, double dropout)
        : base("char_transformer")
    {
        _tokens = nn.Embedding(vocabulary, dModel);
        _positions = nn.Embedding(context, dModel);
        for (int i = 0; i < blocks; i++)
        {
            _blocks.Add(new CausalSelfAttentionBlock(dModel, heads, dropout));
        }

        _norm = nn.LayerNorm(dModel);
        _head = nn.Linear(dModel, vocabulary);
        register_module("tokens", _tokens);
        register_module("positions", _positions);
        register_module("blocks", _blocks);
        register_module("norm", _norm);
        register_module("head", _head);
    }

    /// <inheritdoc/>
    public override int LayerCount => _blocks.Count + 2;

    /// <inheritdoc/>
    public override int LayerOf(string parameterName)
    {
        if (parameterName.StartsWith("tokens.", StringComparison.Ordinal) || parameterName.StartsWith("positions.", StringComparison.Ordinal))
        {
            return 0;
        }

        return IndexAfter(parameterName, "blocks") is { } i ? i + 1 : LayerCount - 1;
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        long t = input.shape[1];
        using var positions = arange(t, dtype: ScalarType.Int64, device: input.device);
        var x = _tokens.forward(input) + _positions.forward(positions);
        foreach (var block in _blocks)
        {
            x = block.forward(x);
        }

        return _head.forward(_norm.forward(x));
    }
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Models;

/// <summary>A pre-norm transformer decoder block: causal multi-head self-attention and a GELU MLP, each with a residual.</summary>
internal sealed class CausalSelfAttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm _norm1;
    private readonly Linear _qkv;
    private readonly Linear _proj;
    private readonly LayerNorm _norm2;
    private readonly Linear _up;
    private readonly Linear _down;
    private readonly int _heads;
    private readonly double _dropout;

    /// <summary>Initializes a new instance of the <see cref="CausalSelfAttentionBlock"/> class.</summary>
    public CausalSelfAttentionBlock(int dModel, int heads, double dropout)
        : base("block")
    {
        _norm1 = nn.LayerNorm(dModel);
        _qkv = nn.Linear(dModel, 3 * dModel);
        _proj = nn.Linear(dModel, dModel);
        _norm2 = nn.LayerNorm(dModel);
        _up = nn.Linear(dModel, 4 * dModel);
        _down = nn.Linear(4 * dModel, dModel);
        _heads = heads;
        _dropout = dropout;
        register_module("norm1", _norm1);
        register_module("qkv", _qkv);
        register_module("proj", _proj);
        register_module("norm2", _norm2);
        register_module("up", _up);
        register_module("down", _down);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        long b = input.shape[0];
        long t = input.shape[1];
        long d = input.shape[2];
        var qkv = _qkv.forward(_norm1.forward(input)).view(b, t, 3, _heads, d / _heads).permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], p: training ? _dropout : 0, is_casual: true);
        var x = input + _proj.forward(attended.transpose(1, 2).reshape(b, t, d));
        return x + _down.forward(nn.functional.gelu(_up.forward(_norm2.forward(x))));
    }
}

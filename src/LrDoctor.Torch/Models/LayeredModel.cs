using static TorchSharp.torch;

namespace LrDoctor.Torch.Models;

/// <summary>A model whose parameters belong to numbered layers, from the input (0) to the output (<see cref="LayerCount"/> - 1), for layer-wise LR decay.</summary>
internal abstract class LayeredModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Initializes a new instance of the <see cref="LayeredModel"/> class.</summary>
    /// <param name="name">The module name.</param>
    protected LayeredModel(string name)
        : base(name)
    {
    }

    /// <summary>Gets the number of layers.</summary>
    public abstract int LayerCount { get; }

    /// <summary>Gets the layer of a parameter, by its name in <c>named_parameters()</c>.</summary>
    /// <param name="parameterName">The parameter's name.</param>
    /// <returns>The layer index, 0 at the input.</returns>
    public abstract int LayerOf(string parameterName);

    /// <summary>Gets the index after a <c>prefix.</c> in a parameter name (<c>layers.2.weight</c> is 2), or <see langword="null"/>.</summary>
    protected static int? IndexAfter(string parameterName, string prefix)
    {
        if (!parameterName.StartsWith(prefix + ".", StringComparison.Ordinal))
        {
            return null;
        }

        string rest = parameterName[(prefix.Length + 1)..];
        int dot = rest.IndexOf('.', StringComparison.Ordinal);
        return int.TryParse(dot < 0 ? rest : rest[..dot], out int i) ? i : null;
    }

    /// <summary>Applies the named activation.</summary>
    protected static Tensor Activate(Tensor x, string activation) => activation switch
    {
        "tanh" => x.tanh(),
        "gelu" => nn.functional.gelu(x),
        _ => nn.functional.relu(x),
    };
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Models;

/// <summary>A multilayer perceptron: linear layers <c>layers.0 … layers.N</c> with an activation between them.</summary>
internal sealed class MlpModel : LayeredModel
{
    private readonly ModuleList<Linear> _layers = new();
    private readonly string _activation;
    private readonly double _dropout;

    /// <summary>Initializes a new instance of the <see cref="MlpModel"/> class.</summary>
    public MlpModel(int inputs, IReadOnlyList<int> hidden, int outputs, string activation, double dropout)
        : base("mlp")
    {
        int previous = inputs;
        foreach (int width in hidden)
        {
            _layers.Add(nn.Linear(previous, width));
            previous = width;
        }

        _layers.Add(nn.Linear(previous, outputs));
        _activation = activation;
        _dropout = dropout;
        register_module("layers", _layers);
    }

    /// <inheritdoc/>
    public override int LayerCount => _layers.Count;

    /// <inheritdoc/>
    public override int LayerOf(string parameterName) => IndexAfter(parameterName, "layers") ?? (LayerCount - 1);

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Count - 1; i++)
        {
            x = Activate(_layers[i].forward(x), _activation);
            if (_dropout > 0)
            {
                x = nn.functional.dropout(x, _dropout, training);
            }
        }

        return _layers[^1].forward(x);
    }
}

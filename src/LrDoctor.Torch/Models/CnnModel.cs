using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Models;

/// <summary>A small convolutional net for 8x8 single-channel images: 3x3 convolutions (<c>convs.i</c>), each followed by 2x2 max pooling, then a linear head.</summary>
internal sealed class CnnModel : LayeredModel
{
    private readonly ModuleList<Conv2d> _convs = new();
    private readonly Linear _head;
    private readonly string _activation;
    private readonly double _dropout;

    /// <summary>Initializes a new instance of the <see cref="CnnModel"/> class.</summary>
    public CnnModel(IReadOnlyList<int> channels, int outputs, string activation, double dropout)
        : base("cnn")
    {
        int previous = 1;
        int side = 8;
        foreach (int c in channels)
        {
            _convs.Add(nn.Conv2d(previous, c, 3, padding: 1));
            previous = c;
            side /= 2;
        }

        _head = nn.Linear(previous * side * side, outputs);
        _activation = activation;
        _dropout = dropout;
        register_module("convs", _convs);
        register_module("head", _head);
    }

    /// <inheritdoc/>
    public override int LayerCount => _convs.Count + 1;

    /// <inheritdoc/>
    public override int LayerOf(string parameterName) => IndexAfter(parameterName, "convs") ?? _convs.Count;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = input.view(-1, 1, 8, 8);
        foreach (var conv in _convs)
        {
            x = nn.functional.max_pool2d(Activate(conv.forward(x), _activation), 2);
        }

        x = x.flatten(1);
        if (_dropout > 0)
        {
            x = nn.functional.dropout(x, _dropout, training);
        }

        return _head.forward(x);
    }
}

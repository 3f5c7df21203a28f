namespace LrDoctor.Core.Jobs;

/// <summary>The model of a job: <c>{"type": "mlp|cnn|char_transformer", ...}</c>.</summary>
public sealed record ModelSpec
{
    /// <summary>The multilayer perceptron over flat features.</summary>
    public const string Mlp = "mlp";

    /// <summary>The small convolutional net for 8x8 single-channel images.</summary>
    public const string Cnn = "cnn";

    /// <summary>The small decoder-only character-level language model.</summary>
    public const string CharTransformer = "char_transformer";

    /// <summary>Gets every model type.</summary>
    public static IReadOnlyList<string> Types { get; } = [Mlp, Cnn, CharTransformer];

    /// <summary>Gets the model type, one of <see cref="Types"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the hidden layer widths of the MLP (field <c>layers</c>).</summary>
    /// <value>Default <c>[128, 64]</c>.</value>
    public IReadOnlyList<int> Layers { get; init; } = [128, 64];

    /// <summary>Gets the output channels of the CNN's convolutions.</summary>
    /// <value>Default <c>[16, 32]</c>.</value>
    public IReadOnlyList<int> Channels { get; init; } = [16, 32];

    /// <summary>Gets the activation of the MLP and CNN: <c>relu</c>, <c>tanh</c> or <c>gelu</c>.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Gets the dropout probability.</summary>
    public double Dropout { get; init; }

    /// <summary>Gets the transformer's embedding width.</summary>
    /// <value>Default 64.</value>
    public int DModel { get; init; } = 64;

    /// <summary>Gets the transformer's attention heads.</summary>
    /// <value>Default 4.</value>
    public int Heads { get; init; } = 4;

    /// <summary>Gets the transformer's number of blocks.</summary>
    /// <value>Default 2.</value>
    public int Blocks { get; init; } = 2;

    /// <summary>Gets the transformer's context length in characters.</summary>
    /// <value>Default 64.</value>
    public int Context { get; init; } = 64;
}

namespace LrDoctor.Core.Jobs;

/// <summary>The data of a job: <c>{"type": "digits|csv|text|synthetic", ...}</c>.</summary>
public sealed record DataSpec
{
    /// <summary>The vendored 8x8 handwritten digits (data/digits.csv).</summary>
    public const string Digits = "digits";

    /// <summary>Any tabular CSV with a header: classification or regression.</summary>
    public const string Csv = "csv";

    /// <summary>A text file, modelled character by character.</summary>
    public const string Text = "text";

    /// <summary>Seeded synthetic data (a random teacher network).</summary>
    public const string Synthetic = "synthetic";

    /// <summary>Gets every data type.</summary>
    public static IReadOnlyList<string> Types { get; } = [Digits, Csv, Text, Synthetic];

    /// <summary>Gets the data type, one of <see cref="Types"/>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the file path (relative to the job file, the working directory or the program), when the type reads a file.</summary>
    /// <value>Default <c>data/digits.csv</c> for <c>digits</c>; required for <c>csv</c> and <c>text</c>.</value>
    public string? Path { get; init; }

    /// <summary>Gets the fraction of the examples held out for validation, split with the job's seed.</summary>
    /// <value>Default 0.2.</value>
    public double ValFraction { get; init; } = 0.2;

    /// <summary>Gets the CSV's target column.</summary>
    /// <value>Default: the last column.</value>
    public string? Target { get; init; }

    /// <summary>Gets the task of <c>csv</c> and <c>synthetic</c> data: <c>classification</c> or <c>regression</c>.</summary>
    public string Task { get; init; } = "classification";

    /// <summary>Gets the number of synthetic examples.</summary>
    /// <value>Default 2000.</value>
    public int Samples { get; init; } = 2000;

    /// <summary>Gets the number of synthetic features.</summary>
    /// <value>Default 20.</value>
    public int Features { get; init; } = 20;

    /// <summary>Gets the number of synthetic classes.</summary>
    /// <value>Default 4.</value>
    public int Classes { get; init; } = 4;

    /// <summary>Gets the label noise of synthetic data (the standard deviation added to the teacher's output).</summary>
    /// <value>Default 0.1.</value>
    public double Noise { get; init; } = 0.1;

    /// <summary>Gets whether features are standardised (digits: scaled to [0, 1]).</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Normalize { get; init; } = true;
}

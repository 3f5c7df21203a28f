using System.Globalization;

namespace LrDoctor.Torch.Data;

/// <summary>A numeric-feature CSV table with a header: features as floats, the target column as strings.</summary>
internal sealed class CsvTable
{
    private CsvTable(string[] featureNames, float[] features, string[] targets)
    {
        FeatureNames = featureNames;
        Features = features;
        Targets = targets;
    }

    /// <summary>Gets the feature column names.</summary>
    public string[] FeatureNames { get; }

    /// <summary>Gets the features, row-major.</summary>
    public float[] Features { get; }

    /// <summary>Gets the target cell of every row.</summary>
    public string[] Targets { get; }

    /// <summary>Gets the number of rows.</summary>
    public int Rows => Targets.Length;

    /// <summary>Reads a table; every error names <paramref name="fileName"/>, the line and the column.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name, for errors.</param>
    /// <param name="target">The target column, or <see langword="null"/> for the last.</param>
    /// <returns>The table.</returns>
    /// <exception cref="InvalidDataException">A malformed, missing or non-finite value.</exception>
    public static CsvTable Read(TextReader reader, string fileName, string? target)
    {
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{fileName}: empty file, expected a header line");
        string[] names = [.. header.Split(',').Select(n => n.Trim())];
        int targetIndex = target is null ? names.Length - 1 : Array.IndexOf(names, target);
        if (targetIndex < 0)
        {
            throw new InvalidDataException($"{fileName}:1: no column '{target}' for the target; columns: {string.Join(", ", names)}");
        }

        if (names.Length < 2)
        {
            throw new InvalidDataException($"{fileName}:1: needs at least one feature column and a target column");
        }

        var features = new List<float>();
        var targets = new List<string>();
        int line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            string[] cells = text.Split(',');
            if (cells.Length != names.Length)
            {
                throw new InvalidDataException($"{fileName}:{line}: {cells.Length} cells, the header has {names.Length}");
            }

            for (int c = 0; c < cells.Length; c++)
            {
                string cell = cells[c].Trim();
                if (c == targetIndex)
                {
                    if (cell.Length == 0)
                    {
                        throw new InvalidDataException($"{fileName}:{line}: column '{names[c]}': missing target");
                    }

                    targets.Add(cell);
                    continue;
                }

                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                {
                    throw new InvalidDataException($"{fileName}:{line}: column '{names[c]}': '{cell}' is not a number");
                }

                if (!float.IsFinite(v))
                {
                    throw new InvalidDataException($"{fileName}:{line}: column '{names[c]}': {cell} in the data (not trained on; clean or impute it first)");
                }

                features.Add(v);
            }
        }

        if (targets.Count == 0)
        {
            throw new InvalidDataException($"{fileName}: no data rows after the header");
        }

        string[] featureNames = [.. names.Where((_, i) => i != targetIndex)];
        return new CsvTable(featureNames, [.. features], [.. targets]);
    }
}

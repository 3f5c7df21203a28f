using System.Globalization;
using LrDoctor.Core;
using LrDoctor.Core.Jobs;

namespace LrDoctor.Torch.Data;

/// <summary>Builds the <see cref="TrainingData"/> a <see cref="DataSpec"/> describes.</summary>
internal static class TrainingDataFactory
{
    /// <summary>Loads or generates the data of a job.</summary>
    /// <param name="job">The job (data spec, seed, model context for text).</param>
    /// <param name="jobDirectory">The job file's folder, for relative paths.</param>
    /// <returns>The data.</returns>
    /// <exception cref="SpecException">A missing file or bad data, naming <c>data.path</c> and the file and line.</exception>
    public static TrainingData Create(JobSpec job, string? jobDirectory)
    {
        var spec = job.Data;
        try
        {
            return spec.Type switch
            {
                DataSpec.Digits => ReadCsv(spec, jobDirectory, job.Seed, digits: true),
                DataSpec.Csv => ReadCsv(spec, jobDirectory, job.Seed, digits: false),
                DataSpec.Text => ReadText(spec, jobDirectory, job.Model.Context),
                DataSpec.Synthetic => Synthesize(spec, job.Seed),
                _ => throw new SpecException("data.type", $"unknown value '{spec.Type}'; allowed: {string.Join(", ", DataSpec.Types)}"),
            };
        }
        catch (InvalidDataException e)
        {
            throw new SpecException("data.path", e.Message);
        }
    }

    private static TabularData ReadCsv(DataSpec spec, string? jobDirectory, int seed, bool digits)
    {
        string path = DataFileLocator.Resolve(spec.Path!, jobDirectory);
        CsvTable table;
        using (var reader = new StreamReader(path))
        {
            table = CsvTable.Read(reader, path, spec.Target ?? (digits ? "label" : null));
        }

        var task = spec.Task == "regression" && !digits ? TaskKind.Regression : TaskKind.Classification;
        float[] targets;
        int classes = 1;
        if (task == TaskKind.Classification)
        {
            // Class ids in sorted label order: numeric labels numerically, others ordinally.
            bool numeric = table.Targets.All(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            var labels = numeric
                ? table.Targets.Distinct().OrderBy(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray()
                : table.Targets.Distinct().Order(StringComparer.Ordinal).ToArray();
            var id = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
            targets = [.. table.Targets.Select(t => (float)id[t])];
            classes = labels.Length;
            if (classes < 2)
            {
                throw new InvalidDataException($"{path}: the target column has a single class ('{labels[0]}')");
            }
        }
        else
        {
            targets = new float[table.Rows];
            for (int i = 0; i < table.Rows; i++)
            {
                if (!float.TryParse(table.Targets[i], NumberStyles.Float, CultureInfo.InvariantCulture, out targets[i]) || !float.IsFinite(targets[i]))
                {
                    throw new InvalidDataException($"{path}:{i + 2}: target '{table.Targets[i]}' is not a finite number (task is regression)");
                }
            }
        }

        float[] features = table.Features;
        bool standardize = spec.Normalize;
        if (digits && spec.Normalize)
        {
            // Pixels are integers 0..16: scale to [0, 1] as the usual recipes do.
            for (int i = 0; i < features.Length; i++)
            {
                features[i] /= 16f;
            }

            standardize = false;
        }

        return new TabularData(features, targets, table.Rows, table.FeatureNames.Length, task, classes, spec.ValFraction, seed, standardize);
    }

    private static TextData ReadText(DataSpec spec, string? jobDirectory, int context)
    {
        string path = DataFileLocator.Resolve(spec.Path!, jobDirectory);
        string text = File.ReadAllText(path);
        try
        {
            return new TextData(text, context, spec.ValFraction);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }

    private static TabularData Synthesize(DataSpec spec, int seed)
    {
        // A random teacher: a fixed linear map with a tanh hidden layer; classes are the argmax of its outputs.
        var random = new Random(unchecked((seed * 7919) + 17));
        int n = spec.Samples;
        int f = spec.Features;
        int outs = spec.Task == "regression" ? 1 : spec.Classes;
        int hidden = 16;
        double[] w1 = [.. Enumerable.Range(0, f * hidden).Select(_ => Gaussian(random) / Math.Sqrt(f))];
        double[] w2 = [.. Enumerable.Range(0, hidden * outs).Select(_ => Gaussian(random) / Math.Sqrt(hidden))];
        var x = new float[n * f];
        var y = new float[n];
        var h = new double[hidden];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < f; j++)
            {
                x[(i * f) + j] = (float)Gaussian(random);
            }

            for (int k = 0; k < hidden; k++)
            {
                double s = 0;
                for (int j = 0; j < f; j++)
                {
                    s += x[(i * f) + j] * w1[(j * hidden) + k];
                }

                h[k] = Math.Tanh(s);
            }

            int best = 0;
            double bestValue = double.NegativeInfinity;
            for (int o = 0; o < outs; o++)
            {
                double s = spec.Noise * Gaussian(random);
                for (int k = 0; k < hidden; k++)
                {
                    s += h[k] * w2[(k * outs) + o];
                }

                if (s > bestValue)
                {
                    bestValue = s;
                    best = o;
                }
            }

            y[i] = outs == 1 ? (float)bestValue : best;
        }

        var task = outs == 1 ? TaskKind.Regression : TaskKind.Classification;
        return new TabularData(x, y, n, f, task, outs, spec.ValFraction, seed, standardize: false);
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

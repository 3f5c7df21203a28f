using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Tests.LrFinder;

/// <summary>Stochastic gradient descent on f(x) = ½ Σ λₖ xₖ² with curvatures spread geometrically over [L / condition, L]: it diverges for LR above 2/L.</summary>
internal sealed class NoisyQuadratic(double curvature, double condition = 1, int dimensions = 20, double gradientNoise = 1e-4, int seed = 7)
{
    /// <summary>Runs a range test on the quadratic and returns its analysed result.</summary>
    public LrFinderResult RangeTest(LrFinderOptions options)
    {
        var random = new Random(seed);
        var lambda = new double[dimensions];
        var x = new double[dimensions];
        for (int k = 0; k < dimensions; k++)
        {
            lambda[k] = curvature * Math.Pow(condition, -(double)k / (dimensions - 1));
            x[k] = 1.0;
        }

        var recorder = new LrRangeRecorder(options);
        for (int step = 0; step < options.Steps; step++)
        {
            double lr = options.LrAt(step);
            double loss = 0;
            for (int k = 0; k < dimensions; k++)
            {
                loss += 0.5 * lambda[k] * x[k] * x[k];
            }

            if (!recorder.Record(lr, loss))
            {
                break;
            }

            for (int k = 0; k < dimensions; k++)
            {
                double gradient = (lambda[k] * x[k]) + (gradientNoise * Gaussian(random));
                x[k] -= lr * gradient;
            }
        }

        return recorder.Finish(0);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Tests.LrFinder;

/// <summary>The theory check: gradient descent on a quadratic of curvature L diverges for LR above 2/L.</summary>
public sealed class LrFinderQuadraticTests
{
    [Theory]
    [InlineData(4.0)]
    [InlineData(40.0)]
    [InlineData(400.0)]
    public void DivergenceLr_WellConditionedQuadratic_LandsWithinOneRampStepOfTwoOverL(double curvature)
    {
        var options = new LrFinderOptions();
        var result = new NoisyQuadratic(curvature, condition: 1).RangeTest(options);

        double rampStep = options.LrAt(1) / options.LrAt(0);
        Assert.NotNull(result.DivergenceLr);
        Assert.InRange(result.DivergenceLr!.Value, 2 / curvature / rampStep, 2 / curvature * rampStep);
        Assert.True(result.Recommended < 2 / curvature, $"recommended {result.Recommended} must be below 2/L = {2 / curvature}");
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(40.0)]
    [InlineData(400.0)]
    public void DivergenceLr_IllConditionedQuadratic_IsAboveTwoOverLButNoLaterThanTheRawLossRises(double curvature)
    {
        // With curvatures spread over 100x the slow directions keep the total loss falling for a few batches after the
        // sharpest one has gone unstable: the loss itself shows the rise late, and the finder must not add to that.
        var options = new LrFinderOptions();
        var result = new NoisyQuadratic(curvature, condition: 100).RangeTest(options);

        var points = result.Points;
        int firstRawRise = Enumerable.Range(1, points.Count - 1).First(i => points[i].Loss > points[i - 1].Loss);
        Assert.NotNull(result.DivergenceLr);
        Assert.InRange(result.DivergenceLr!.Value, 2 / curvature / (options.LrAt(1) / options.LrAt(0)), points[firstRawRise].Lr);
    }
}

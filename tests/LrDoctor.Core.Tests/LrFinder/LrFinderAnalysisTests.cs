using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Tests.LrFinder;

public sealed class LrFinderAnalysisTests
{
    private static void AssertNearDecade(double expectedLog10, double? actual, double toleranceDecades)
    {
        Assert.NotNull(actual);
        double log = Math.Log10(actual!.Value);
        Assert.True(Math.Abs(log - expectedLog10) <= toleranceDecades, $"expected about 1e{expectedLog10} (±{toleranceDecades} decades), got {actual.Value:g4} (1e{log:F2})");
    }

    [Fact]
    public void Analyze_CleanTypicalCurve_EachRuleFindsItsKnownAnswer()
    {
        var result = SyntheticCurve.Run(x => SyntheticCurve.Typical(x, steepAt: -4, riseAt: -1));

        // The floor ends in a kink at 1e-1; smoothing moves a kink's lowest point up to two ramp steps (0.16 decades) sideways.
        AssertNearDecade(-4, result.Suggestions.Steep, 0.1);
        AssertNearDecade(-2, result.Suggestions.Minimum, 0.2);
        AssertNearDecade(-1, result.DivergenceLr, 0.15);
        Assert.True(result.StoppedEarly);
        Assert.Equal(LrFinderStopReasons.Diverged, result.StopReason);
    }

    [Fact]
    public void Analyze_ValleyCurve_PointsHalfwayDownTheLongestDescent()
    {
        // Rises slowly until 1e-5, falls linearly in log10(LR) until 1e-1, then rises: the longest descent is
        // [1e-5, 1e-1], and fastai's valley rule takes the point halfway down it, 1e-3.
        static double Loss(double x) => x < -5 ? 2.0 + (0.01 * (x + 5)) : x < -1 ? 2.0 - (0.4 * (x + 5)) : 0.4 + (2 * (x + 1));

        var result = SyntheticCurve.Run(Loss);

        // The descent ends in a sharp kink, which the smoothing window rounds off by up to two ramp steps.
        AssertNearDecade(-3, result.Suggestions.Valley, 0.3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Analyze_NoisyCurveWithSpikes_SuggestionsStayOnTheKnownAnswers(int seed)
    {
        // 10% batch noise, a 20x spike in the noisy start and a 5x spike in the middle of the descent.
        var spikes = new Dictionary<int, double> { [3] = 46.0, [55] = 6.0 };

        var result = SyntheticCurve.Run(x => SyntheticCurve.Typical(x), noise: 0.10, seed: seed, overrides: spikes);

        // Below 1e-1 the floor is flat to within the noise, so the lowest point may be anywhere on it.
        AssertNearDecade(-4, result.Suggestions.Steep, 0.4);
        Assert.InRange(Math.Log10(result.Suggestions.Minimum!.Value * 10), -2.6, -0.95);
        AssertNearDecade(-1, result.DivergenceLr, 0.3);
        Assert.InRange(Math.Log10(result.Suggestions.Valley!.Value), -5.5, -2.5);
        Assert.True(result.Recommended <= result.DivergenceLr / LrFinderAnalysis.CeilingMargin);
    }

    [Fact]
    public void Analyze_NaNBeforeAnyRise_KeepsFinitePrefixAndCapsAtTheLastFiniteLr()
    {
        var options = new LrFinderOptions();

        var result = SyntheticCurve.Run(x => SyntheticCurve.Typical(x), overrides: new Dictionary<int, double> { [70] = double.NaN });

        Assert.Equal(70, result.Points.Count);
        Assert.All(result.Points, p => Assert.True(double.IsFinite(p.Loss) && double.IsFinite(p.SmoothedLoss)));
        Assert.True(result.StoppedEarly);
        Assert.Equal(LrFinderStopReasons.NonFinite, result.StopReason);
        Assert.Equal(options.LrAt(69), result.DivergenceLr);
        AssertNearDecade(-4, result.Suggestions.Steep, 0.1);
        Assert.True(result.Recommended <= result.DivergenceLr / LrFinderAnalysis.CeilingMargin);
    }

    [Fact]
    public void Analyze_NaNAtTheFirstBatch_ReturnsNoSuggestion()
    {
        var result = SyntheticCurve.Run(x => SyntheticCurve.Typical(x), overrides: new Dictionary<int, double> { [0] = double.PositiveInfinity });

        Assert.Empty(result.Points);
        Assert.Null(result.Recommended);
        Assert.Null(result.Suggestions.Steep);
        Assert.Null(result.Suggestions.Valley);
        Assert.Null(result.Suggestions.Minimum);
        Assert.Equal(LrFinderStopReasons.NonFinite, result.StopReason);
    }

    [Fact]
    public void Analyze_NoDescentOnlyNoiseThenBlowUp_SuggestsNothingButReportsDivergence()
    {
        // The range started too high: the loss only wobbles and then blows up, so there is nothing to recommend.
        static double Loss(double x) => x < -1 ? 2.0 : 2.0 * Math.Exp(3 * (x + 1));

        var result = SyntheticCurve.Run(Loss, noise: 0.05);

        Assert.Null(result.Suggestions.Steep);
        Assert.Null(result.Suggestions.Valley);
        Assert.Null(result.Recommended);
        AssertNearDecade(-1, result.DivergenceLr, 0.3);
    }

    [Fact]
    public void Analyze_LossStillFallingAtMaxLr_HasNoDivergenceLr()
    {
        var result = SyntheticCurve.Run(x => 1 + (1 / (1 + Math.Exp(2 * (x + 3)))), options: new LrFinderOptions { MinLr = 1e-6, MaxLr = 1e-1 });

        Assert.Null(result.DivergenceLr);
        Assert.False(result.StoppedEarly);
        AssertNearDecade(-3, result.Suggestions.Steep, 0.15);
    }

    [Fact]
    public void Analyze_NegativeLosses_StillFindsTheDescent()
    {
        // Losses such as a negative log-likelihood can be below zero: the rules then work on the loss itself.
        var result = SyntheticCurve.Run(x => SyntheticCurve.Typical(x) - 1.0);

        AssertNearDecade(-4, result.Suggestions.Steep, 0.1);
        AssertNearDecade(-2, result.Suggestions.Minimum, 0.2);
        Assert.NotNull(result.DivergenceLr);
    }

    [Fact]
    public void Analyze_LinearRamp_FindsTheMinimum()
    {
        var options = new LrFinderOptions { MinLr = 1e-3, MaxLr = 1.0, Mode = LrRampMode.Linear };

        var result = SyntheticCurve.Run(x => Math.Pow(Math.Pow(10, x) - 0.5, 2) + 0.1, options: options);

        AssertNearDecade(Math.Log10(0.05), result.Suggestions.Minimum, 0.05);
    }

    [Fact]
    public void Recommend_ValleyAndMinimum_TakesTheirGeometricMean()
    {
        var (lr, rule) = LrFinderAnalysis.Recommend(new LrFinderSuggestions(0.5, 0.04, 0.01), divergenceLr: 1.0);

        Assert.Equal(0.02, lr!.Value, 12);
        Assert.Equal("geomean(valley,minimum)", rule);
    }

    [Fact]
    public void Recommend_AboveCeiling_IsCappedBelowDivergence()
    {
        var (lr, rule) = LrFinderAnalysis.Recommend(new LrFinderSuggestions(0.05, 0.2, 0.2), divergenceLr: 0.3);

        Assert.Equal(0.3 / LrFinderAnalysis.CeilingMargin, lr!.Value, 12);
        Assert.Equal("geomean(valley,minimum),capped", rule);
    }

    [Fact]
    public void Recommend_OnlySteep_UsesSteep()
    {
        var (lr, rule) = LrFinderAnalysis.Recommend(new LrFinderSuggestions(0.05, null, null), divergenceLr: null);

        Assert.Equal(0.05, lr);
        Assert.Equal("steep", rule);
    }
}

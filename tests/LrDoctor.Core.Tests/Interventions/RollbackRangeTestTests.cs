using LrDoctor.Core.Interventions;
using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Tests.Interventions;

public sealed class RollbackRangeTestTests
{
    private static LrFinderResult Result(double? recommended, int points = RollbackRangeTest.Batches) => new(
        [.. Enumerable.Range(0, points).Select(i => new LrFinderPoint(i, 1, 1))],
        new LrFinderSuggestions(null, recommended, recommended),
        recommended,
        DivergenceLr: null,
        StoppedEarly: false,
        Seconds: 0.04)
    {
        RecommendedRule = recommended is null ? null : "geomean(valley,minimum)",
    };

    [Fact]
    public void Options_SpanThreeDecadesUpToTheBlownUpLr_AtFastaiDensity()
    {
        var options = RollbackRangeTest.Options(3.0);

        Assert.Equal(0.003, options.MinLr, 15);
        Assert.Equal(3.0, options.MaxLr);
        Assert.Equal(38, options.Steps); // 100 batches over 8 decades = 12.5 per decade
        Assert.Equal(new LrFinderOptions().Beta, options.Beta);
        options.Validate();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Options_NoPositiveFiniteLr_Throws(double lr) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RollbackRangeTest.Options(lr));

    [Fact]
    public void Choose_RecommendationBelowTheCut_ResumesAtTheRecommendation()
    {
        // Digits at 30x: blew up at LR 3, the 10x cut would resume at 0.3 (3x the good LR); the test recommends 0.111.
        var (lr, why) = RollbackRangeTest.Choose(3.0, 0.1, Result(0.111));

        Assert.Equal(0.111, lr);
        Assert.Contains("recommends 0.111 (geomean(valley,minimum)); resumes there instead of the cut LR 0.3", why, StringComparison.Ordinal);
        Assert.Contains("38 batches, 0.003 to 3", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_RecommendationAboveTheCut_KeepsTheCut()
    {
        var (lr, why) = RollbackRangeTest.Choose(1.0, 0.1, Result(0.2));

        Assert.Equal(0.1, lr, 15);
        Assert.Contains("not below the cut LR 0.1, which stands", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_RecommendationFarBelow_StopsAtOneMoreCut()
    {
        var (lr, why) = RollbackRangeTest.Choose(10.0, 0.1, Result(0.02));

        Assert.Equal(0.1, lr, 15);
        Assert.Contains("recommends 0.02; resumes at 0.1, the cut LR 1 cut once more, the most the test may lower it", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NoRecommendation_KeepsTheCut()
    {
        var (lr, why) = RollbackRangeTest.Choose(2.0, 0.5, Result(null, points: 12));

        Assert.Equal(1.0, lr);
        Assert.Contains("(12 batches", why, StringComparison.Ordinal);
        Assert.Contains("found no clear descent, so the cut LR 1 stands", why, StringComparison.Ordinal);
    }
}

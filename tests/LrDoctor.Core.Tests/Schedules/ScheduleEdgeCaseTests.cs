using System.Text.Json;
using LrDoctor.Core.Schedules;

namespace LrDoctor.Core.Tests.Schedules;

/// <summary>The edge cases a user relies on, stated as the curve's shape: step 0, the last step, milestones, cycle boundaries, past the end.</summary>
public sealed class ScheduleEdgeCaseTests
{
    [Fact]
    public void Step_AtStepSizeBoundary_DecaysExactlyThere()
    {
        ILrSchedule s = Create("""{"type":"step","stepSize":30,"gamma":0.1}""", 0.1);

        Assert.Equal(0.1, s.LearningRate(0));
        Assert.Equal(0.1, s.LearningRate(29));
        ScheduleAssert.Close(0.01, s.LearningRate(30), "lr[30]");
        ScheduleAssert.Close(0.001, s.LearningRate(60), "lr[60]");
    }

    [Fact]
    public void MultiStep_AtEachMilestone_MultipliesByGamma()
    {
        ILrSchedule s = Create("""{"type":"multistep","milestones":[30,80],"gamma":0.5}""", 1.0);

        Assert.Equal(1.0, s.LearningRate(29));
        Assert.Equal(0.5, s.LearningRate(30));
        Assert.Equal(0.5, s.LearningRate(79));
        Assert.Equal(0.25, s.LearningRate(80));
        Assert.Equal(0.25, s.LearningRate(1_000_000));
    }

    [Fact]
    public void Cosine_PastTMax_ClimbsBackUpToTheBaseLr()
    {
        ILrSchedule s = Create("""{"type":"cosine","tMax":10,"etaMin":0.001}""", 0.1);

        Assert.Equal(0.1, s.LearningRate(0));
        ScheduleAssert.Close(0.001, s.LearningRate(10), "lr[tMax]");
        Assert.True(s.LearningRate(15) > s.LearningRate(11));
        ScheduleAssert.Close(0.1, s.LearningRate(20), "lr[2·tMax]");
    }

    [Fact]
    public void CosineRestarts_TMultTwo_RestartsAtCycleBoundaries()
    {
        ILrSchedule s = Create("""{"type":"cosine_restarts","t0":10,"tMult":2,"etaMin":0.0}""", 0.1);

        Assert.Equal(0.1, s.LearningRate(0));
        foreach (long restart in new long[] { 10, 30, 70, 150 })
        {
            Assert.Equal(0.1, s.LearningRate(restart));
            Assert.True(s.LearningRate(restart - 1) < 0.01, $"the LR just before the restart at {restart} is near etaMin");
        }

        ScheduleAssert.Close(0.05, s.LearningRate(10 + 10), "middle of the 20-step cycle");
        ScheduleAssert.Close(0.05, s.LearningRate(30 + 20), "middle of the 40-step cycle");
    }

    [Fact]
    public void Cyclic_CycleBoundaries_HitBaseAndMaxWithMomentumInverse()
    {
        ILrSchedule s = Create("""{"type":"cyclic","baseLr":0.001,"maxLr":0.006,"stepSizeUp":20}""", 0.001);

        Assert.True(s.CyclesMomentum);
        ScheduleAssert.Close(0.001, s.LearningRate(0), "lr[0]");
        ScheduleAssert.Close(0.006, s.LearningRate(20), "lr at the peak");
        ScheduleAssert.Close(0.001, s.LearningRate(40), "lr at the end of the cycle");
        ScheduleAssert.Close(0.9, s.Momentum(0)!.Value, "momentum[0]");
        ScheduleAssert.Close(0.8, s.Momentum(20)!.Value, "momentum at the LR peak");
    }

    [Fact]
    public void Cyclic_Triangular2_HalvesTheAmplitudeEachCycle()
    {
        ILrSchedule s = Create("""{"type":"cyclic","baseLr":0.0,"maxLr":1.0,"stepSizeUp":5,"mode":"triangular2"}""", 0.1);

        ScheduleAssert.Close(1.0, s.LearningRate(5), "first peak");
        ScheduleAssert.Close(0.5, s.LearningRate(15), "second peak");
        ScheduleAssert.Close(0.25, s.LearningRate(25), "third peak");
    }

    [Fact]
    public void OneCycle_StepZeroAndPeak_StartAtMaxOverDivAndPeakAtPctStart()
    {
        ILrSchedule s = Create("""{"type":"onecycle","maxLr":0.1,"totalSteps":100}""", 0.1);

        ScheduleAssert.Close(0.1 / 25, s.LearningRate(0), "lr[0]");
        ScheduleAssert.Close(0.1, s.LearningRate(29), "lr at pctStart·total - 1");
        ScheduleAssert.Close(0.85, s.Momentum(29)!.Value, "momentum at the LR peak");
        ScheduleAssert.Close(0.1 / 25 / 1e4, s.LearningRate(99), "lr at the last step");
    }

    [Fact]
    public void OneCycle_PastTotalSteps_HoldsTheFinalLrAndMomentum()
    {
        ILrSchedule s = Create("""{"type":"onecycle","maxLr":0.1,"totalSteps":100,"threePhase":true,"anneal":"linear"}""", 0.1);

        double final = 0.1 / 25 / 1e4;
        ScheduleAssert.Close(final, s.LearningRate(99), "lr[99]");
        Assert.Equal(final, s.LearningRate(101));
        Assert.Equal(final, s.LearningRate(1_000_000));
        Assert.Equal(0.95, s.Momentum(1_000_000));
    }

    [Fact]
    public void OneCycle_ThreePhase_ReturnsToInitialLrBeforeAnnihilating()
    {
        ILrSchedule s = Create("""{"type":"onecycle","maxLr":1.0,"totalSteps":100,"pctStart":0.25,"threePhase":true,"divFactor":10}""", 1.0);

        ScheduleAssert.Close(1.0, s.LearningRate(24), "peak");
        ScheduleAssert.Close(0.1, s.LearningRate(48), "back at the initial LR at 2·pctStart·total - 2");
        Assert.True(s.LearningRate(70) < 0.1);
        ScheduleAssert.Close(0.95, s.Momentum(48)!.Value, "momentum back at max");
    }

    [Fact]
    public void Sequential_AtMilestone_StartsTheNextScheduleAtItsStepZero()
    {
        ILrSchedule s = Create(
            """{"type":"sequential","schedules":[{"type":"linear","startFactor":0.1,"totalIters":5},{"type":"cosine","tMax":95}],"milestones":[5]}""",
            0.1);

        ScheduleAssert.Close(0.01, s.LearningRate(0), "warmup start");
        ScheduleAssert.Close(0.1, s.LearningRate(5), "cosine step 0 at the milestone");
        ScheduleAssert.Close(0.0, s.LearningRate(100), "cosine end");
    }

    [Fact]
    public void WarmupLinear_StepZeroAndEnd_AreZeroAndStayZeroPastTheEnd()
    {
        ILrSchedule s = Create("""{"type":"warmup_linear","warmupSteps":10,"totalSteps":100}""", 0.1);

        Assert.Equal(0.0, s.LearningRate(0));
        Assert.Equal(0.1, s.LearningRate(10));
        Assert.Equal(0.0, s.LearningRate(100));
        Assert.Equal(0.0, s.LearningRate(150));
    }

    [Fact]
    public void WarmupCosine_MinLrRatio_FloorsTheCurveAtTotalSteps()
    {
        ILrSchedule s = Create("""{"type":"warmup_cosine","warmupSteps":10,"totalSteps":100,"minLrRatio":0.1}""", 0.1);

        Assert.Equal(0.0, s.LearningRate(0));
        ScheduleAssert.Close(0.1, s.LearningRate(10), "end of warmup");
        ScheduleAssert.Close(0.01, s.LearningRate(100), "min LR at totalSteps");
    }

    [Theory]
    [InlineData("linear", 0.5)]
    [InlineData("cosine", 0.5)]
    [InlineData("1-sqrt", 0.29289321881345254)]
    public void Wsd_DecayShape_HasItsValueHalfwayAndTheMinimumAtTheEnd(string decay, double halfway)
    {
        ILrSchedule s = Create($$"""{"type":"wsd","warmupSteps":10,"decayStart":80,"totalSteps":100,"decay":"{{decay}}","minLrRatio":0.0}""", 1.0);

        Assert.Equal(0.0, s.LearningRate(0));
        Assert.Equal(1.0, s.LearningRate(10));
        Assert.Equal(1.0, s.LearningRate(80));
        ScheduleAssert.Close(halfway, s.LearningRate(90), $"{decay} halfway");
        Assert.Equal(0.0, s.LearningRate(100));
        Assert.Equal(0.0, s.LearningRate(10_000));
    }

    [Fact]
    public void InverseSqrt_Peak_IsAtTheEndOfWarmup()
    {
        ILrSchedule s = Create("""{"type":"inverse_sqrt","warmupSteps":4000,"dModel":512}""", 1.0);

        double peak = Math.Pow(512, -0.5) * Math.Pow(4000, -0.5);
        ScheduleAssert.Close(peak, s.LearningRate(3999), "peak at s = warmup");
        Assert.True(s.LearningRate(3998) < peak);
        Assert.True(s.LearningRate(4000) < peak);
        ScheduleAssert.Close(Math.Pow(512, -0.5) * Math.Pow(16000, -0.5), s.LearningRate(15999), "1/sqrt decay");
    }

    [Fact]
    public void ConstantFactor_UntilTotalIters_ScalesThenReturnsToBase()
    {
        ILrSchedule s = Create("""{"type":"constant","factor":0.5,"totalIters":4}""", 0.2);

        Assert.Equal(0.1, s.LearningRate(0));
        Assert.Equal(0.1, s.LearningRate(3));
        ScheduleAssert.Close(0.2, s.LearningRate(4), "lr[totalIters]");
        Assert.Equal(ScheduleFactory.Constant(0.2).LearningRate(7), Create("""{"type":"constant"}""", 0.2).LearningRate(7));
    }

    [Fact]
    public void Exponential_FarStepThenEarlyStep_GivesTheSameValuesAsInOrder()
    {
        ILrSchedule inOrder = Create("""{"type":"exponential","gamma":0.99999}""", 0.1);
        ILrSchedule jumping = Create("""{"type":"exponential","gamma":0.99999}""", 0.1);
        var expected = new Dictionary<long, double>();
        for (long t = 0; t <= 300_000; t++)
        {
            double v = inOrder.LearningRate(t);
            if (t % 7919 == 0)
            {
                expected[t] = v;
            }
        }

        Assert.Equal(expected[300_000 - (300_000 % 7919)], jumping.LearningRate(300_000 - (300_000 % 7919)));
        foreach ((long t, double v) in expected.OrderByDescending(p => p.Key))
        {
            Assert.Equal(v, jumping.LearningRate(t));
        }

        ScheduleAssert.Close(0.1 * Math.Pow(0.99999, 300_000), inOrder.LearningRate(300_000), "close to the closed form");
    }

    private static ILrSchedule Create(string json, double baseLr)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return ScheduleFactory.Create(doc.RootElement, baseLr);
    }
}

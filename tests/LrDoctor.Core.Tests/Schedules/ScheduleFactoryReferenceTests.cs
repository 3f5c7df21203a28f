using System.Text.Json;
using LrDoctor.Core.Schedules;

namespace LrDoctor.Core.Tests.Schedules;

/// <summary>Every schedule type against the sequences PyTorch's lr_scheduler (or Hugging Face's lambdas) produce, step by step.</summary>
public sealed class ScheduleFactoryReferenceTests
{
    public static TheoryData<string> CaseNames => ReferenceSequences.Names;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void LearningRate_EveryStep_MatchesReferenceWithin1e12(string name)
    {
        ReferenceCase c = ReferenceSequences.Get(name);
        ILrSchedule schedule = Create(c);

        for (int t = 0; t < c.Lr.Length; t++)
        {
            ScheduleAssert.Close(c.Lr[t], schedule.LearningRate(t), $"{name} lr[{t}]");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Momentum_EveryStep_MatchesReferenceOrIsAbsent(string name)
    {
        ReferenceCase c = ReferenceSequences.Get(name);
        ILrSchedule schedule = Create(c);

        Assert.Equal(c.Momentum is not null, schedule.CyclesMomentum);
        for (int t = 0; t < c.Lr.Length; t++)
        {
            double? momentum = schedule.Momentum(t);
            if (c.Momentum is null)
            {
                Assert.Null(momentum);
            }
            else
            {
                Assert.NotNull(momentum);
                ScheduleAssert.Close(c.Momentum[t], momentum.Value, $"{name} momentum[{t}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void LearningRate_RandomOrderAccess_EqualsSequentialAccess(string name)
    {
        ReferenceCase c = ReferenceSequences.Get(name);
        ILrSchedule schedule = Create(c);
        var rng = new Random(12345);

        for (int i = 0; i < 200; i++)
        {
            int t = rng.Next(c.Lr.Length);
            ScheduleAssert.Close(c.Lr[t], schedule.LearningRate(t), $"{name} lr[{t}] read out of order");
        }
    }

    [Fact]
    public void ReferenceFile_CoversEveryScheduleType()
    {
        var types = ReferenceSequences.All
            .Select(c => JsonDocument.Parse(c.SpecJson).RootElement.GetProperty("type").GetString())
            .ToHashSet();

        Assert.All(ScheduleFactory.Types, t => Assert.Contains(t, types));
    }

    private static ILrSchedule Create(ReferenceCase c)
    {
        using JsonDocument doc = JsonDocument.Parse(c.SpecJson);
        return ScheduleFactory.Create(doc.RootElement, c.BaseLr);
    }
}

using LrDoctor.Core.Interventions;

namespace LrDoctor.Core.Tests.Interventions;

public sealed class SnapshotRetentionTests
{
    [Fact]
    public void ToEvict_LossStillFalling_GivesUpTheOldest()
    {
        SnapshotMark[] marks = [new(0, null), new(100, 1.2), new(200, 0.8), new(300, 0.5)];

        Assert.Equal(0, SnapshotRetention.ToEvict(marks));
        Assert.Equal(0, SnapshotRetention.ToEvict(marks[1..]));
    }

    [Fact]
    public void ToEvict_OldestIsTheBest_KeepsItAndGivesUpTheNextOldest()
    {
        // The loss drifted up after step 100: the ring keeps the step-100 state however long the drift lasts.
        SnapshotMark[] marks = [new(100, 0.4), new(500, 0.6), new(600, 0.7), new(700, 0.9)];

        Assert.Equal(1, SnapshotRetention.ToEvict(marks));
    }

    [Fact]
    public void ToEvict_ANewerSnapshotAsGood_GivesUpTheOldest()
    {
        SnapshotMark[] marks = [new(100, 0.4), new(500, 0.4), new(600, 0.7)];

        Assert.Equal(0, SnapshotRetention.ToEvict(marks));
    }

    [Fact]
    public void ToEvict_OneSnapshotOrNoLoss_GivesUpTheOldest()
    {
        Assert.Equal(0, SnapshotRetention.ToEvict([new(100, 0.4)]));
        Assert.Equal(0, SnapshotRetention.ToEvict([new(0, null), new(100, 2.0)]));
        Assert.Equal(0, SnapshotRetention.ToEvict([new(100, double.NaN), new(200, 2.0)]));
    }
}

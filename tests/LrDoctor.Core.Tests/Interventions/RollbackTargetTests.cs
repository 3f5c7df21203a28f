using LrDoctor.Core.Interventions;

namespace LrDoctor.Core.Tests.Interventions;

public sealed class RollbackTargetTests
{
    [Fact]
    public void Choose_HealthySnapshots_TakesTheNewestBeforeTheOnset()
    {
        SnapshotMark[] marks = [new(0, null), new(100, 0.9), new(200, 0.5), new(300, 0.55), new(400, 0.4)];

        Assert.Equal(3, RollbackTarget.Choose(marks, onsetStep: 350, untrainedLoss: 2.3));
        Assert.Equal(4, RollbackTarget.Choose(marks, onsetStep: 400, untrainedLoss: 2.3));
    }

    [Fact]
    public void Choose_NewestSnapshotWorseThanUntrained_GoesBackToTheStart()
    {
        // Digits at 10x the good LR: the snapshot at step 50 was taken while the loss bounced around 3, above the untrained 2.3.
        SnapshotMark[] marks = [new(0, null), new(50, 3.2)];

        Assert.Equal(0, RollbackTarget.Choose(marks, onsetStep: 62, untrainedLoss: 2.32));
    }

    [Fact]
    public void Choose_NewestGaveBackMoreThanHalfTheProgress_TakesTheLastGoodOne()
    {
        // Progress from 2.0 to 0.4; the limit is 0.4 + 0.5 x 1.6 = 1.2: the snapshot at 1.5 is damaged, the one at 1.1 is not.
        SnapshotMark[] marks = [new(100, 0.4), new(200, 1.1), new(300, 1.5)];

        Assert.Equal(1, RollbackTarget.Choose(marks, onsetStep: 310, untrainedLoss: 2.0));
    }

    [Fact]
    public void Choose_NoSnapshotBeforeTheOnset_TakesTheOldest()
    {
        SnapshotMark[] marks = [new(500, 0.3), new(600, 0.2)];

        Assert.Equal(0, RollbackTarget.Choose(marks, onsetStep: 450, untrainedLoss: 2.3));
        Assert.Equal(-1, RollbackTarget.Choose([], onsetStep: 450, untrainedLoss: 2.3));
    }

    [Fact]
    public void Choose_UntrainedLossUnknown_TakesTheNewestBeforeTheOnset()
    {
        SnapshotMark[] marks = [new(0, null), new(50, 3.2)];

        Assert.Equal(1, RollbackTarget.Choose(marks, onsetStep: 62, untrainedLoss: null));
    }
}

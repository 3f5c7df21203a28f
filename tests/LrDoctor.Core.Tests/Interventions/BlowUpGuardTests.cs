using LrDoctor.Core.Interventions;

namespace LrDoctor.Core.Tests.Interventions;

public sealed class BlowUpGuardTests
{
    [Fact]
    public void Observe_LossBelowFactorTimesFirst_IsNotABlowUp()
    {
        var guard = new BlowUpGuard(3);

        Assert.False(guard.Observe(2.3, 1.0));
        Assert.False(guard.Observe(6.8, 5.0));
        Assert.False(guard.Observe(0.01, 0.1));
        Assert.Equal(2.3, guard.InitialLoss);
    }

    [Fact]
    public void Observe_LossAboveFactorTimesFirst_IsABlowUp()
    {
        var guard = new BlowUpGuard(3);
        guard.Observe(2.0, null);

        Assert.True(guard.Observe(6.01, null));
    }

    [Theory]
    [InlineData(double.NaN, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(1.0, double.NaN)]
    public void Observe_NonFiniteLossOrGradient_IsABlowUpEvenWhenDisabled(double loss, double gradNorm)
    {
        var guard = new BlowUpGuard(0);
        guard.Observe(1.0, 1.0);

        Assert.True(guard.Observe(loss, gradNorm));
    }
}

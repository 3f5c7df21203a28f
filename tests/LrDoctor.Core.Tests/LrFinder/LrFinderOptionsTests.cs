using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Tests.LrFinder;

public sealed class LrFinderOptionsTests
{
    [Fact]
    public void LrAt_ExponentialDefaults_RampsGeometricallyFromMinToMax()
    {
        var options = new LrFinderOptions();

        Assert.Equal(1e-7, options.LrAt(0), 15);
        Assert.Equal(10.0, options.LrAt(99), 10);
        Assert.Equal(options.LrAt(1) / options.LrAt(0), options.LrAt(51) / options.LrAt(50), 10);
    }

    [Fact]
    public void LrAt_Linear_RampsInEqualSteps()
    {
        var options = new LrFinderOptions { MinLr = 0.1, MaxLr = 1.0, Steps = 10, Mode = LrRampMode.Linear };

        Assert.Equal(0.1, options.LrAt(0), 12);
        Assert.Equal(0.2, options.LrAt(1), 12);
        Assert.Equal(1.0, options.LrAt(9), 12);
    }

    [Theory]
    [InlineData(0.0, 10.0, 100, 0.98, 4.0, "min")]
    [InlineData(1e-3, 1e-4, 100, 0.98, 4.0, "max")]
    [InlineData(1e-7, 10.0, 1, 0.98, 4.0, "steps")]
    [InlineData(1e-7, 10.0, 100, 1.0, 4.0, "beta")]
    [InlineData(1e-7, 10.0, 100, 0.98, 0.5, "divergenceFactor")]
    public void Validate_OutOfRange_NamesTheField(double min, double max, int steps, double beta, double factor, string field)
    {
        var options = new LrFinderOptions { MinLr = min, MaxLr = max, Steps = steps, Beta = beta, DivergenceFactor = factor };

        var error = Assert.Throws<SpecException>(options.Validate);

        Assert.Equal(field, error.Field);
    }
}

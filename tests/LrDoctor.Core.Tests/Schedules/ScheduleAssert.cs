using System.Globalization;

namespace LrDoctor.Core.Tests.Schedules;

/// <summary>Comparisons of schedule values with the 1e-12 relative tolerance the issue sets.</summary>
internal static class ScheduleAssert
{
    public const double RelativeTolerance = 1e-12;

    public static bool Close(double expected, double actual) =>
        expected == actual || Math.Abs(expected - actual) <= RelativeTolerance * Math.Max(Math.Abs(expected), Math.Abs(actual));

    public static void Close(double expected, double actual, string what)
    {
        if (!Close(expected, actual))
        {
            Assert.Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(expected - actual) / Math.Abs(expected):E2})"));
        }
    }
}

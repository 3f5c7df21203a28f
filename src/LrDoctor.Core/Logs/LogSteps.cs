namespace LrDoctor.Core.Logs;

/// <summary>Checks a step value read from a log.</summary>
internal static class LogSteps
{
    /// <summary>Converts a step cell to an integer step: finite, non-negative and whole.</summary>
    /// <param name="value">The parsed cell.</param>
    /// <param name="name">The column or key, for the message.</param>
    /// <param name="line">The line, for the message.</param>
    /// <returns>The step.</returns>
    public static long ToStep(double value, string name, long line)
    {
        if (!double.IsFinite(value) || value < 0 || value != Math.Floor(value) || value > long.MaxValue / 2)
        {
            throw new LogFormatException(line, $"'{name}' must be a whole number of at least 0, got {value}");
        }

        return (long)value;
    }
}

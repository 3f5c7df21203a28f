namespace LrDoctor.Core.Logs;

/// <summary>A training log that cannot be read: names the line (1-based) and, for a bad cell, the column.</summary>
/// <param name="line">The 1-based line of the problem, or 0 when it concerns the whole input.</param>
/// <param name="problem">What is wrong, in one sentence without the line number.</param>
public sealed class LogFormatException(long line, string problem)
    : Exception(line > 0 ? $"line {line}: {problem}" : problem)
{
    /// <summary>Gets the 1-based line of the problem, or 0 when it concerns the whole input (an empty file).</summary>
    public long Line { get; } = line;

    /// <summary>Gets what is wrong, without the line number.</summary>
    public string Problem { get; } = problem;

    /// <summary>Gets a value indicating whether the problem is only that the steps go back (a resumed run): read again keeping the latest attempt.</summary>
    public bool StepsGoBack { get; init; }
}

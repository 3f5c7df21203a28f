using System.Globalization;
using System.Runtime.CompilerServices;

namespace LrDoctor.Core.Logs;

/// <summary>Parses the numbers of a training log: invariant culture, plus <c>nan</c>, <c>inf</c>, <c>-inf</c>, <c>infinity</c> in any case.</summary>
internal static class LogNumber
{
    /// <summary>Parses a cell (surrounding blanks and double quotes allowed).</summary>
    /// <param name="text">The cell.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the cell is not a number.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1].Trim();
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        bool negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        if (text.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        if (text.Equals("inf", StringComparison.OrdinalIgnoreCase) || text.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Gets whether a cell is empty (missing value).</summary>
    /// <param name="text">The cell.</param>
    /// <returns><see langword="true"/> when blank or an empty quoted string.</returns>
    public static bool IsEmpty(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return text.IsEmpty || text.SequenceEqual("\"\"");
    }
}

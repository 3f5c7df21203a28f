using System.Text;

namespace LrDoctor.Core.Logs;

/// <summary>Accepts the JSON that Python writes: its <c>json</c> module emits bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, which strict JSON parsers reject.</summary>
/// <remarks>A diverged run's <c>trainer_state.json</c> or JSON Lines log is exactly where those tokens appear, so they must not make the log unreadable.</remarks>
internal static class PythonJson
{
    /// <summary>Quotes bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> tokens outside strings, so they parse as strings that <see cref="LogNumber"/> reads.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The text, unchanged when it has no such token.</returns>
    public static string QuoteNonFinite(string json)
    {
        if (!json.Contains("NaN", StringComparison.Ordinal) && !json.Contains("Infinity", StringComparison.Ordinal))
        {
            return json;
        }

        var output = new StringBuilder(json.Length + 16);
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                output.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    output.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
                output.Append(c);
                continue;
            }

            string? token = Token(json, i);
            if (token is not null)
            {
                output.Append('"').Append(token).Append('"');
                i += token.Length - 1;
                continue;
            }

            output.Append(c);
        }

        return output.ToString();
    }

    private static string? Token(string json, int i)
    {
        foreach (string token in (ReadOnlySpan<string>)["NaN", "Infinity", "-Infinity"])
        {
            if (string.CompareOrdinal(json, i, token, 0, token.Length) == 0)
            {
                return token;
            }
        }

        return null;
    }
}

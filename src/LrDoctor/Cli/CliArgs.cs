using System.Globalization;

namespace LrDoctor.Cli;

/// <summary>The arguments of one CLI command: positionals, <c>--name value</c> options and <c>--flag</c> switches.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private CliArgs(string command, List<string> positionals)
    {
        Command = command;
        Positionals = positionals;
    }

    /// <summary>Gets the command name (<c>schedule</c>, <c>diagnose</c>, ...).</summary>
    public string Command { get; }

    /// <summary>Gets the positional arguments after the command.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Parses <paramref name="args"/> (after the command name); <paramref name="flags"/> are the options that take no value.</summary>
    public static CliArgs Parse(string command, IEnumerable<string> args, params string[] flags)
    {
        var positionals = new List<string>();
        var result = new CliArgs(command, positionals);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string arg = e.Current;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                string name = arg[2..];
                string? value = null;
                int eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    value = name[(eq + 1)..];
                    name = name[..eq];
                }
                else if (!flags.Contains(name))
                {
                    if (!e.MoveNext())
                    {
                        throw new CliException($"{command}: option --{name} needs a value");
                    }

                    value = e.Current;
                }

                result._options[name] = value;
            }
            else
            {
                positionals.Add(arg);
            }
        }

        return result;
    }

    /// <summary>Gets whether the switch or option was given.</summary>
    public bool Has(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    /// <summary>Gets an option's string value, or <paramref name="fallback"/>.</summary>
    public string? String(string name, string? fallback = null)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out string? v) && v is not null ? v : fallback;
    }

    /// <summary>Gets a required option's string value.</summary>
    public string Required(string name) =>
        String(name) ?? throw new CliException($"{Command}: missing required option --{name}");

    /// <summary>Gets an option as a finite double, or <paramref name="fallback"/>.</summary>
    public double? Double(string name, double? fallback = null)
    {
        string? s = String(name);
        if (s is null)
        {
            return fallback;
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw new CliException($"{Command}: --{name} must be a finite number, got '{s}'");
        }

        return v;
    }

    /// <summary>Gets an option as an integer, or <paramref name="fallback"/>.</summary>
    public long? Long(string name, long? fallback = null)
    {
        string? s = String(name);
        if (s is null)
        {
            return fallback;
        }

        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
        {
            throw new CliException($"{Command}: --{name} must be an integer, got '{s}'");
        }

        return v;
    }

    /// <summary>Gets an option restricted to <paramref name="allowed"/> values.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        string v = String(name, fallback)!;
        if (!allowed.Contains(v, StringComparer.Ordinal))
        {
            throw new CliException($"{Command}: --{name} must be one of {string.Join(", ", allowed)}, got '{v}'");
        }

        return v;
    }

    /// <summary>Throws when an option was given that the command never asked about (a typo should not pass silently).</summary>
    public void RejectUnknown()
    {
        foreach (string name in _options.Keys)
        {
            if (!_used.Contains(name))
            {
                throw new CliException($"{Command}: unknown option --{name}");
            }
        }
    }
}

using System.Globalization;
using System.Text.Json;

namespace LrDoctor.Core.Jobs;

/// <summary>Reads the fields of one JSON object of a specification, naming the field's path in every error.</summary>
/// <remarks>Every field read is remembered so that <see cref="RejectUnknown"/> can refuse a misspelt name instead of ignoring it.</remarks>
internal sealed class SpecObject
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="SpecObject"/> class.</summary>
    /// <param name="element">The element, which must be an object.</param>
    /// <param name="path">Its path, for example <c>optimizer</c>.</param>
    public SpecObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SpecException(path, $"must be an object, got {Describe(element)}");
        }

        _element = element;
        Path = path;
    }

    /// <summary>Gets the object's path.</summary>
    public string Path { get; }

    /// <summary>Gets the path of a field of this object.</summary>
    public string FieldPath(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    /// <summary>Gets whether a field is present and not null.</summary>
    public bool Has(string name)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;
    }

    /// <summary>Gets a field's raw element, or <see langword="null"/> when absent or null.</summary>
    public JsonElement? Element(string name)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
    }

    /// <summary>Gets a nested object, or <see langword="null"/>.</summary>
    public SpecObject? Object(string name) => Element(name) is { } e ? new SpecObject(e, FieldPath(name)) : null;

    /// <summary>Gets a string field.</summary>
    public string? String(string name)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            throw new SpecException(FieldPath(name), $"must be a string, got {Describe(e)}");
        }

        return e.GetString();
    }

    /// <summary>Gets a string field restricted to <paramref name="allowed"/>; <paramref name="fallback"/> when absent.</summary>
    public string Choice(string name, string fallback, IReadOnlyList<string> allowed)
    {
        string value = String(name) ?? fallback;
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new SpecException(FieldPath(name), $"unknown value '{value}'; allowed: {string.Join(", ", allowed)}");
        }

        return value;
    }

    /// <summary>Gets a required string field restricted to <paramref name="allowed"/>.</summary>
    public string RequiredChoice(string name, IReadOnlyList<string> allowed)
    {
        if (!Has(name))
        {
            throw new SpecException(FieldPath(name), $"is required; allowed: {string.Join(", ", allowed)}");
        }

        return Choice(name, "", allowed);
    }

    /// <summary>Gets a finite number field within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double? Double(string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        return ReadDouble(e, FieldPath(name), min, max, minExclusive);
    }

    /// <summary>Gets an integer field within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long? Long(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        return ReadLong(e, FieldPath(name), min, max);
    }

    /// <summary>Gets an integer field as an <see cref="int"/> within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue) => (int?)Long(name, min, max);

    /// <summary>Gets a boolean field.</summary>
    public bool? Bool(string name)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SpecException(FieldPath(name), $"must be true or false, got {Describe(e)}"),
        };
    }

    /// <summary>Gets an array field's elements with their paths.</summary>
    public IReadOnlyList<(JsonElement Element, string Path)>? Array(string name)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new SpecException(FieldPath(name), $"must be an array, got {Describe(e)}");
        }

        var items = new List<(JsonElement, string)>();
        int i = 0;
        foreach (var item in e.EnumerateArray())
        {
            items.Add((item, $"{FieldPath(name)}[{i}]"));
            i++;
        }

        return items;
    }

    /// <summary>Gets an array of integers within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int[]? IntArray(string name, int min = int.MinValue, int max = int.MaxValue) =>
        Array(name)?.Select(x => (int)ReadLong(x.Element, x.Path, min, max)).ToArray();

    /// <summary>Gets an array of finite numbers.</summary>
    public double[]? DoubleArray(string name, double min = double.NegativeInfinity, double max = double.PositiveInfinity) =>
        Array(name)?.Select(x => ReadDouble(x.Element, x.Path, min, max, minExclusive: false)).ToArray();

    /// <summary>Throws when the object has a field that was never read (a typo must not pass silently).</summary>
    /// <param name="ignored">Field names accepted without being read.</param>
    public void RejectUnknown(params string[] ignored)
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name) && !ignored.Contains(property.Name, StringComparer.Ordinal))
            {
                string known = string.Join(", ", _read.Order(StringComparer.Ordinal));
                throw new SpecException(FieldPath(property.Name), $"unknown field; known fields here: {known}");
            }
        }
    }

    /// <summary>Reads a finite number, naming <paramref name="path"/> on error.</summary>
    public static double ReadDouble(JsonElement e, string path, double min, double max, bool minExclusive)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
        {
            throw new SpecException(path, $"must be a finite number, got {Describe(e)}");
        }

        if (v < min || (minExclusive && v <= min) || v > max)
        {
            string low = minExclusive ? $"> {Format(min)}" : $">= {Format(min)}";
            string range = double.IsPositiveInfinity(max) ? low : $"{low} and <= {Format(max)}";
            throw new SpecException(path, $"must be {range}, got {Format(v)}");
        }

        return v;
    }

    /// <summary>Reads an integer, naming <paramref name="path"/> on error.</summary>
    public static long ReadLong(JsonElement e, string path, long min, long max)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v))
        {
            throw new SpecException(path, $"must be an integer, got {Describe(e)}");
        }

        if (v < min || v > max)
        {
            string range = max == long.MaxValue || max == int.MaxValue ? $">= {min}" : $"between {min} and {max}";
            throw new SpecException(path, $"must be {range}, got {v}");
        }

        return v;
    }

    /// <summary>Describes a JSON value for an error message.</summary>
    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Format(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}

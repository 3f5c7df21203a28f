using System.Globalization;
using System.Text.Json;

namespace LrDoctor.Core.Schedules;

/// <summary>Reads the fields of one JSON spec object, naming the offending field (<c>schedule.milestones[1]</c>) in every error.</summary>
/// <remarks>A missing or <c>null</c> field takes its default; fields that were never asked for are rejected by <see cref="RejectUnknown"/>, so a typo never passes silently.</remarks>
internal sealed class SpecReader
{
    private readonly JsonElement _element;
    private readonly List<string> _known = [];

    /// <summary>Initializes a new instance of the <see cref="SpecReader"/> class.</summary>
    /// <param name="element">The JSON object.</param>
    /// <param name="path">Its JSON path, for error messages.</param>
    public SpecReader(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SpecException(path, $"must be a JSON object, got {Describe(element)}");
        }

        _element = element;
        Path = path;
    }

    /// <summary>Gets the JSON path of the object.</summary>
    public string Path { get; }

    /// <summary>Gets the JSON path of one of its fields.</summary>
    public string FieldPath(string name) => $"{Path}.{name}";

    /// <summary>Reads the required string field <c>type</c>.</summary>
    public string Type()
    {
        if (!TryGet("type", out JsonElement value))
        {
            throw new SpecException(FieldPath("type"), "required field is missing");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new SpecException(FieldPath("type"), $"must be a string, got {Describe(value)}");
        }

        return value.GetString()!;
    }

    /// <summary>Reads an optional finite number at least <paramref name="min"/> (strictly above it when <paramref name="exclusiveMin"/>) and at most <paramref name="max"/>.</summary>
    public double? OptionalNumber(string name, double min = 0, bool exclusiveMin = false, double max = double.PositiveInfinity)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return null;
        }

        double v;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetDouble(out v) || !double.IsFinite(v))
            {
                throw new SpecException(FieldPath(name), $"must be a finite number, got {value.GetRawText()}");
            }
        }
        else if (value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out v))
        {
            if (!double.IsFinite(v))
            {
                throw new SpecException(FieldPath(name), $"must be a finite number, got {value.GetString()}");
            }
        }
        else
        {
            throw new SpecException(FieldPath(name), $"must be a number, got {Describe(value)}");
        }

        CheckRange(name, v, min, exclusiveMin, max);
        return v;
    }

    /// <summary>Reads a number, or <paramref name="fallback"/> when it is absent.</summary>
    public double Number(string name, double fallback, double min = 0, bool exclusiveMin = false, double max = double.PositiveInfinity) =>
        OptionalNumber(name, min, exclusiveMin, max) ?? fallback;

    /// <summary>Reads a number that must be present.</summary>
    public double RequiredNumber(string name, double min = 0, bool exclusiveMin = false, double max = double.PositiveInfinity) =>
        OptionalNumber(name, min, exclusiveMin, max) ?? throw Missing(name);

    /// <summary>Reads an optional integer at least <paramref name="min"/>.</summary>
    public long? OptionalInteger(string name, long min = 0) =>
        TryGet(name, out JsonElement value) ? ToInteger(value, FieldPath(name), min) : null;

    /// <summary>Reads an integer, or <paramref name="fallback"/> when it is absent.</summary>
    public long Integer(string name, long fallback, long min = 0) => OptionalInteger(name, min) ?? fallback;

    /// <summary>Reads an integer that must be present.</summary>
    public long RequiredInteger(string name, long min = 0) => OptionalInteger(name, min) ?? throw Missing(name);

    /// <summary>Reads a boolean, or <paramref name="fallback"/> when it is absent.</summary>
    public bool Flag(string name, bool fallback)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SpecException(FieldPath(name), $"must be true or false, got {Describe(value)}"),
        };
    }

    /// <summary>Reads a string restricted to <paramref name="allowed"/>, or <paramref name="fallback"/> when it is absent.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        if (!TryGet(name, out JsonElement value))
        {
            return fallback;
        }

        string? s = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (s is null || !allowed.Contains(s, StringComparer.Ordinal))
        {
            throw new SpecException(FieldPath(name), $"must be one of {string.Join(", ", allowed)}, got {Describe(value)}");
        }

        return s;
    }

    /// <summary>Reads a required array of integers, each at least <paramref name="min"/>.</summary>
    public IReadOnlyList<long> IntegerArray(string name, long min = 0)
    {
        JsonElement array = RequiredArray(name);
        var result = new List<long>(array.GetArrayLength());
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            result.Add(ToInteger(item, $"{FieldPath(name)}[{i}]", min));
            i++;
        }

        return result;
    }

    /// <summary>Reads a required, non-empty array of JSON values.</summary>
    public IReadOnlyList<JsonElement> NonEmptyArray(string name)
    {
        JsonElement array = RequiredArray(name);
        if (array.GetArrayLength() == 0)
        {
            throw new SpecException(FieldPath(name), "must not be empty");
        }

        return [.. array.EnumerateArray()];
    }

    /// <summary>Throws for the first field of the object that no read asked for.</summary>
    public void RejectUnknown()
    {
        foreach (JsonProperty property in _element.EnumerateObject())
        {
            if (!_known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new SpecException(FieldPath(property.Name), $"unknown field; valid: {string.Join(", ", _known)}");
            }
        }
    }

    /// <summary>Creates the error for a field that is out of its valid range.</summary>
    public SpecException Invalid(string name, string problem) => new(FieldPath(name), problem);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        JsonValueKind.String => $"'{value.GetString()}'",
        _ => value.GetRawText(),
    };

    private static long ToInteger(JsonElement value, string path, long min)
    {
        long v;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetInt64(out v))
            {
                if (!value.TryGetDouble(out double d) || !double.IsFinite(d) || d != Math.Floor(d) || Math.Abs(d) > 9e15)
                {
                    throw new SpecException(path, $"must be an integer, got {value.GetRawText()}");
                }

                v = (long)d;
            }
        }
        else if (value.ValueKind != JsonValueKind.String
            || !long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out v))
        {
            throw new SpecException(path, $"must be an integer, got {Describe(value)}");
        }

        if (v < min)
        {
            throw new SpecException(path, min == 0 ? $"must not be negative, got {v}" : $"must be at least {min}, got {v}");
        }

        return v;
    }

    private void CheckRange(string name, double v, double min, bool exclusiveMin, double max)
    {
        string got = v.ToString("R", CultureInfo.InvariantCulture);
        if (exclusiveMin ? v <= min : v < min)
        {
            string bound = min.ToString("R", CultureInfo.InvariantCulture);
            throw new SpecException(
                FieldPath(name),
                min == 0 && !exclusiveMin ? $"must not be negative, got {got}" : $"must be {(exclusiveMin ? ">" : ">=")} {bound}, got {got}");
        }

        if (v > max)
        {
            throw new SpecException(FieldPath(name), $"must be <= {max.ToString("R", CultureInfo.InvariantCulture)}, got {got}");
        }
    }

    private JsonElement RequiredArray(string name)
    {
        if (!TryGet(name, out JsonElement value))
        {
            throw Missing(name);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new SpecException(FieldPath(name), $"must be an array, got {Describe(value)}");
        }

        return value;
    }

    private SpecException Missing(string name) => new(FieldPath(name), "required field is missing");

    private bool TryGet(string name, out JsonElement value)
    {
        if (!_known.Contains(name, StringComparer.Ordinal))
        {
            _known.Add(name);
        }

        return _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }
}

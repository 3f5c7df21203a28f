using System.Text.Json;
using System.Text.Json.Serialization;

namespace LrDoctor.Core.Json;

/// <summary>The one set of JSON conventions of LrDoctor: camelCase names, lower-case enum strings, NaN and infinity as strings.</summary>
public static class LrDoctorJson
{
    /// <summary>Gets the serializer options for everything LrDoctor reads and writes (CLI JSON, HTTP, worker protocol).</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>Gets the same options, indented for a person to read.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace LrDoctor.Core.Runs;

/// <summary>The snake_case names closed sets (<see cref="RunState"/>, <see cref="EventKind"/>, ...) have at the edges: JSON, BSON, metric labels.</summary>
/// <remarks>The same names <see cref="Json.LrDoctorJson.Options"/> writes, computed once per enum type, so stored files and dashboards keep their strings.</remarks>
public static class WireName
{
    /// <summary>Gets the wire name of a value (<c>RollbackAndCut</c> is <c>rollback_and_cut</c>).</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The snake_case name.</returns>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByValue.TryGetValue(value, out var name) ? name : value.ToString();

    /// <summary>Parses a wire name.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="name">The snake_case name.</param>
    /// <param name="value">The value, when the name is one of the enum's.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse<TEnum>([NotNullWhen(true)] string? name, out TEnum value)
        where TEnum : struct, Enum
    {
        if (name is not null && Names<TEnum>.ByName.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Parses a wire name that must be known.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="name">The snake_case name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The name is not one of the enum's.</exception>
    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum => TryParse(name, out TEnum value)
            ? value
            : throw new FormatException($"'{name}' is not a {typeof(TEnum).Name}: expected one of {string.Join(", ", All<TEnum>())}");

    /// <summary>Gets every wire name of an enum, in declaration order.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum => Names<TEnum>.Ordered;

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>()
            .ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly Dictionary<string, TEnum> ByName = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public static readonly string[] Ordered = [.. Enum.GetValues<TEnum>().Select(v => ByValue[v])];
    }
}

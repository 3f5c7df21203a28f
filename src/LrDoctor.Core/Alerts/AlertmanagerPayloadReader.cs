using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LrDoctor.Core.Alerts;

/// <summary>Reads and validates Alertmanager's webhook payload (version 4).</summary>
/// <remarks>Parsed by hand rather than bound to a type so that every rejection names the JSON path at fault.</remarks>
public static partial class AlertmanagerPayloadReader
{
    /// <summary>The payload version this reader understands.</summary>
    public const string SupportedVersion = "4";

    /// <summary>Reads a payload from a stream.</summary>
    /// <param name="utf8Json">The request body.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="SpecException">The body is not JSON or not a version 4 payload; names the field.</exception>
    public static async Task<AlertmanagerPayload> ReadAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(utf8Json, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new SpecException("$", $"not valid JSON ({e.Message})");
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    /// <summary>Reads a payload from a string.</summary>
    /// <param name="json">The payload JSON.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="SpecException">The text is not JSON or not a version 4 payload; names the field.</exception>
    public static AlertmanagerPayload Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new SpecException("$", $"not valid JSON ({e.Message})");
        }
    }

    private static AlertmanagerPayload Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SpecException("$", "expected a JSON object (Alertmanager webhook payload)");
        }

        string version = RequiredString(root, "version", "version");
        if (version != SupportedVersion)
        {
            throw new SpecException("version", $"unsupported payload version '{version}'; expected '{SupportedVersion}'");
        }

        string status = Status(root, "status");
        string receiver = OptionalString(root, "receiver", "receiver") ?? "";
        string? groupKey = OptionalString(root, "groupKey", "groupKey");
        if (!root.TryGetProperty("alerts", out var alertsElement) || alertsElement.ValueKind != JsonValueKind.Array)
        {
            throw new SpecException("alerts", "required: an array of alerts");
        }

        var alerts = new List<AlertmanagerAlert>(alertsElement.GetArrayLength());
        int index = 0;
        foreach (var element in alertsElement.EnumerateArray())
        {
            alerts.Add(ReadAlert(element, $"alerts[{index}]"));
            index++;
        }

        return new AlertmanagerPayload(version, status, receiver, groupKey, alerts);
    }

    private static AlertmanagerAlert ReadAlert(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SpecException(path, "expected an alert object");
        }

        string status = Status(element, path + ".status");
        var labels = StringMap(element, "labels", path + ".labels", required: true);
        var annotations = StringMap(element, "annotations", path + ".annotations", required: false);
        var startsAt = Time(element, "startsAt", path + ".startsAt", required: true)!.Value;
        var endsAt = Time(element, "endsAt", path + ".endsAt", required: false);
        string fingerprint = RequiredString(element, "fingerprint", path + ".fingerprint");
        string? generatorUrl = OptionalString(element, "generatorURL", path + ".generatorURL");
        return new AlertmanagerAlert(status, labels, annotations, startsAt, endsAt, fingerprint, generatorUrl);
    }

    private static string Status(JsonElement element, string path)
    {
        string status = RequiredString(element, path[(path.LastIndexOf('.') + 1)..], path);
        return status is AlertmanagerPayload.Firing or AlertmanagerPayload.Resolved
            ? status
            : throw new SpecException(path, $"'{status}' is not a status; expected 'firing' or 'resolved'");
    }

    private static string RequiredString(JsonElement element, string name, string path) =>
        OptionalString(element, name, path) is { Length: > 0 } value ? value : throw new SpecException(path, "required: a non-empty string");

    private static string? OptionalString(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new SpecException(path, "expected a string");
    }

    private static Dictionary<string, string> StringMap(JsonElement element, string name, string path, bool required)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new SpecException(path, "required: an object of string values") : map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new SpecException(path, "expected an object of string values");
        }

        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw new SpecException($"{path}.{property.Name}", "expected a string");
        }

        return map;
    }

    private static DateTimeOffset? Time(JsonElement element, string name, string path, bool required)
    {
        string? text = OptionalString(element, name, path);
        if (string.IsNullOrEmpty(text))
        {
            return required ? throw new SpecException(path, "required: an RFC 3339 time") : null;
        }

        // Go writes up to nine fractional digits; .NET parses seven.
        string trimmed = ExtraFraction().Replace(text, "$1");
        if (!DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new SpecException(path, $"'{text}' is not an RFC 3339 time");
        }

        // Alertmanager sends 0001-01-01T00:00:00Z as endsAt of an alert that has not resolved.
        return time.Year <= 1 ? null : time;
    }

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex ExtraFraction();
}

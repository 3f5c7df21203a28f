using System.Text.Json;
using System.Text.Json.Nodes;
using LrDoctor.Core;

namespace LrDoctor.Supervision;

/// <summary>Checks a job spec before it is queued: well-formed JSON, a name, a valid spec for the engine, and no file outside the allowed folders.</summary>
/// <param name="allowedRoots">The folders a job may read from (the data and jobs folders), as full paths.</param>
internal sealed class JobValidator(IReadOnlyList<string> allowedRoots)
{
    /// <summary>Gets the folders a job may read files from.</summary>
    public IReadOnlyList<string> AllowedRoots { get; } = allowedRoots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToArray();

    /// <summary>Parses and validates a job spec.</summary>
    /// <param name="json">The job spec (may carry <c>autoStart</c>).</param>
    /// <param name="fieldPrefix">Prepended to field names in errors (for example <c>LrDoctor:Jobs[0].</c>).</param>
    /// <returns>The job.</returns>
    /// <exception cref="SpecException">The spec is invalid; names the field.</exception>
    public JobDefinition Validate(string json, string fieldPrefix = "")
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SpecException(fieldPrefix.Length > 0 ? fieldPrefix.TrimEnd('.') : "body", $"malformed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        return Validate(node, fieldPrefix);
    }

    /// <summary>Validates a job spec node.</summary>
    /// <exception cref="SpecException">The spec is invalid; names the field.</exception>
    public JobDefinition Validate(JsonNode? node, string fieldPrefix = "")
    {
        if (node is not JsonObject job)
        {
            throw new SpecException(fieldPrefix.Length > 0 ? fieldPrefix.TrimEnd('.') : "body", "a job spec must be a JSON object");
        }

        job = (JsonObject)job.DeepClone();
        bool autoStart = false;
        if (job.TryGetPropertyValue("autoStart", out var auto))
        {
            if (auto is null || auto.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new SpecException(fieldPrefix + "autoStart", "must be true or false");
            }

            autoStart = auto.GetValue<bool>();
            job.Remove("autoStart");
        }

        if (!job.TryGetPropertyValue("name", out var nameNode) || nameNode is null || nameNode.GetValueKind() != JsonValueKind.String
            || string.IsNullOrWhiteSpace(nameNode.GetValue<string>()))
        {
            throw new SpecException(fieldPrefix + "name", "required: a non-empty string");
        }

        CheckPaths(job, fieldPrefix.TrimEnd('.'));
        string jobJson = job.ToJsonString();
        try
        {
            EngineJobs.Validate(jobJson);
        }
        catch (SpecException e)
        {
            throw new SpecException(fieldPrefix + e.Field, e.Problem);
        }

        return new JobDefinition(nameNode.GetValue<string>(), jobJson, autoStart);
    }

    private void CheckPaths(JsonNode node, string at)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    string field = at.Length == 0 ? key : $"{at}.{key}";
                    if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && IsPathField(key))
                    {
                        CheckPath(v.GetValue<string>(), field);
                    }
                    else if (value is not null)
                    {
                        CheckPaths(value, field);
                    }
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        CheckPaths(item, $"{at}[{i}]");
                    }
                }

                break;
        }
    }

    private static bool IsPathField(string key) =>
        key.Equals("path", StringComparison.OrdinalIgnoreCase) || key.Equals("file", StringComparison.OrdinalIgnoreCase)
        || key.EndsWith("Path", StringComparison.Ordinal) || key.EndsWith("File", StringComparison.Ordinal)
        || key.EndsWith("Directory", StringComparison.Ordinal) || key.EndsWith("Dir", StringComparison.Ordinal);

    private void CheckPath(string value, string field)
    {
        string full;
        try
        {
            full = Path.GetFullPath(value);
        }
        catch (ArgumentException)
        {
            throw new SpecException(field, "not a valid path");
        }

        foreach (string root in AllowedRoots)
        {
            if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new SpecException(field, $"'{value}' is outside the folders a job may read ({string.Join(", ", AllowedRoots)})");
    }
}

using System.Text.Json;

namespace LrDoctor.Core.Tests.Schedules;

/// <summary>The reference sequences of tests/fixtures/schedules/reference.json, written by generate.py from PyTorch and Hugging Face.</summary>
internal static class ReferenceSequences
{
    private static readonly Lazy<IReadOnlyDictionary<string, ReferenceCase>> Cases = new(Load);

    /// <summary>Gets the case names, for xunit theories.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in Cases.Value.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    /// <summary>Gets every case.</summary>
    public static IEnumerable<ReferenceCase> All => Cases.Value.Values;

    /// <summary>Gets one case by name.</summary>
    public static ReferenceCase Get(string name) => Cases.Value[name];

    /// <summary>Finds the repository's tests/fixtures/schedules folder from the test assembly's location.</summary>
    public static string FixtureDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "schedules");
            if (File.Exists(Path.Combine(candidate, "reference.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/fixtures/schedules/reference.json not found above {AppContext.BaseDirectory}");
    }

    private static Dictionary<string, ReferenceCase> Load()
    {
        using FileStream stream = File.OpenRead(Path.Combine(FixtureDirectory(), "reference.json"));
        using JsonDocument doc = JsonDocument.Parse(stream);
        var result = new Dictionary<string, ReferenceCase>(StringComparer.Ordinal);
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            double[]? momentum = c.TryGetProperty("momentum", out JsonElement m) ? [.. m.EnumerateArray().Select(v => v.GetDouble())] : null;
            var item = new ReferenceCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("spec").GetRawText(),
                c.GetProperty("baseLr").GetDouble(),
                [.. c.GetProperty("lr").EnumerateArray().Select(v => v.GetDouble())],
                momentum);
            result.Add(item.Name, item);
        }

        return result;
    }
}

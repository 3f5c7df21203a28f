using System.Globalization;
using System.Text.Json;
using LrDoctor.Core.Interventions;
using LrDoctor.Core.Jobs;

namespace LrDoctor.Core.Tests.Interventions;

public sealed class ReduceOnPlateauTests
{
    public static TheoryData<int> Cases() => [0, 1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_FixedMetricSequence_MatchesPyTorchLrSequence(int caseIndex)
    {
        // tests/fixtures/reduce_on_plateau.json comes from tests/fixtures/reduce_on_plateau.py (torch.optim.lr_scheduler.ReduceLROnPlateau).
        using var fixture = JsonDocument.Parse(File.ReadAllText(FindFixture("reduce_on_plateau.json")));
        var root = fixture.RootElement;
        double[] metrics = [.. root.GetProperty("metrics").EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? double.Parse(m.GetString()!.Replace("nan", "NaN", StringComparison.Ordinal), CultureInfo.InvariantCulture) : m.GetDouble())];
        var testCase = root.GetProperty("cases")[caseIndex];
        var config = testCase.GetProperty("config");
        var spec = new PlateauSpec
        {
            Factor = config.GetProperty("factor").GetDouble(),
            Patience = config.GetProperty("patience").GetInt32(),
            Threshold = config.GetProperty("threshold").GetDouble(),
            ThresholdMode = config.GetProperty("thresholdMode").GetString()!,
            Cooldown = config.GetProperty("cooldown").GetInt32(),
            MinLr = config.GetProperty("minLr").GetDouble(),
            Eps = config.GetProperty("eps").GetDouble(),
        };
        double[] expected = [.. testCase.GetProperty("lrs").EnumerateArray().Select(x => x.GetDouble())];

        var plateau = new ReduceOnPlateau(spec);
        double lr = root.GetProperty("initialLr").GetDouble();
        var actual = new List<double>();
        foreach (double metric in metrics)
        {
            lr = plateau.Step(metric, lr) ?? lr;
            actual.Add(lr);
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Step_ImprovingMetric_NeverReduces()
    {
        var plateau = new ReduceOnPlateau(new PlateauSpec { Patience = 0 });
        for (int i = 0; i < 50; i++)
        {
            Assert.Null(plateau.Step(1.0 / (i + 1), 0.1));
        }
    }

    internal static string FindFixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/fixtures/{name} not found above {AppContext.BaseDirectory}");
    }
}

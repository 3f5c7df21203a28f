using System.Text.Json;
using LrDoctor.Torch.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Tests;

public sealed class RectifiedAdamTests
{
    [Fact]
    public void Step_QuadraticProblem_MatchesPyTorchRAdamTrajectory()
    {
        // tests/fixtures/radam_reference.json comes from tests/fixtures/radam_reference.py (torch.optim.RAdam, float64).
        using var fixture = JsonDocument.Parse(File.ReadAllText(FindFixture("radam_reference.json")));
        var root = fixture.RootElement;
        double[] start = [.. root.GetProperty("start").EnumerateArray().Select(x => x.GetDouble())];
        using var target = tensor(root.GetProperty("target").EnumerateArray().Select(x => x.GetDouble()).ToArray());
        var p = new Parameter(tensor(start));
        using var optimizer = new RectifiedAdam([new RAdam.ParamGroup([p], new RAdam.Options { LearningRate = 0.1 })], 0.1, 0.9, 0.999, 1e-8, 0.01);

        foreach (var expected in root.GetProperty("trajectory").EnumerateArray())
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            p.sub(target).pow(2).sum().backward();
            optimizer.step();

            double[] actual = p.data<double>().ToArray();
            double[] wanted = [.. expected.EnumerateArray().Select(x => x.GetDouble())];
            for (int i = 0; i < wanted.Length; i++)
            {
                Assert.Equal(wanted[i], actual[i], 12);
            }
        }
    }

    private static string FindFixture(string name)
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

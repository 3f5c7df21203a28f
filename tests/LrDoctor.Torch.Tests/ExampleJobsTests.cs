using LrDoctor.Core.Jobs;
using LrDoctor.Torch.Training;

namespace LrDoctor.Torch.Tests;

public sealed class ExampleJobsTests
{
    public static TheoryData<string> ExampleJobs()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.EnumerateFiles(FindExamples(), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleJobs))]
    public void ExampleJob_ParsesAndBuildsItsModelOptimizerAndData(string file)
    {
        string path = Path.Combine(FindExamples(), file);

        var job = JobSpec.Parse(File.ReadAllText(path));
        using var setup = TrainingSetup.Create(job, Path.GetDirectoryName(path));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), job.Name);
        Assert.True(setup.TotalSteps > 0);
        Assert.True(setup.Data.TrainCount > job.BatchSize);
    }

    private static string FindExamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "examples", "jobs");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("examples/jobs not found");
    }
}

using System.Globalization;

namespace LrDoctor.Tests.Infrastructure;

/// <summary>Small real jobs (a digits MLP on the vendored data) and daemon settings for end-to-end tests.</summary>
public static class TestJobs
{
    /// <summary>A digits MLP job spec of <paramref name="steps"/> steps.</summary>
    public static string DigitsMlp(string name = "digits", long steps = 200, int checkpointEvery = 50, string doctor = "off") =>
        string.Create(CultureInfo.InvariantCulture, $$$"""
        {"name":"{{{name}}}","model":{"type":"mlp","layers":[32]},"data":{"type":"digits"},
         "optimizer":{"type":"sgd","lr":0.05,"momentum":0.9},"steps":{{{steps}}},"batchSize":32,"seed":1,
         "evalEvery":50,"checkpointEvery":{{{checkpointEvery}}},"doctor":{"mode":"{{{doctor}}}"}}
        """);

    /// <summary>Daemon settings with the storage in the work dir, checkpoints every step boundary allowed, and optional jobs.</summary>
    public static string Settings(int maxConcurrentRuns = 2, int maxRestarts = 3, string jobs = "[]", string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "Logging": { "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning" } },
          "LrDoctor": {
            "Storage": { "Path": "data/lrdoctor.db" },
            "Supervisor": { "MaxConcurrentRuns": {{maxConcurrentRuns}}, "MaxRestarts": {{maxRestarts}}, "WorkerThreads": 1,
                            "CheckpointIntervalSeconds": 0.5, "RestartDelayMs": 100, "ShutdownTimeoutSeconds": 60 },
            "Metrics": { "RetireAfterSeconds": 600 },
            "Jobs": {{jobs}}{{extra}}
          }
        }
        """);
}

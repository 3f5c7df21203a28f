using LrDoctor.Core.Jobs;

namespace LrDoctor.Bench;

/// <summary>The jobs the engine benchmarks train.</summary>
internal static class EngineBenchJobs
{
    /// <summary>The well-tuned LR of <see cref="DigitsTanh"/>.</summary>
    public const double GoodLr = 0.1;

    /// <summary>A tanh MLP on digits with SGD + momentum: at a too-high LR its weights blow up instead of dying quietly.</summary>
    /// <param name="lr">The job's LR.</param>
    /// <param name="seed">The seed (initial weights and data order).</param>
    /// <param name="doctor">The doctor's mode.</param>
    /// <param name="cosine">Whether the LR anneals by cosine to 0 over the run (else it is constant).</param>
    /// <param name="steps">The run's length in steps.</param>
    public static JobSpec DigitsTanh(double lr, int seed, string doctor, bool cosine = false, int steps = 300) => JobSpec.Parse(FormattableString.Invariant($$"""
        {"name":"rescue-{{lr}}-{{seed}}-{{doctor}}","model":{"type":"mlp","layers":[64],"activation":"tanh"},"data":{"type":"digits"},
         {{(cosine ? $"\"schedule\":{{\"type\":\"cosine\",\"tMax\":{steps}}}," : "")}}
         "optimizer":{"type":"sgd","lr":{{lr}},"momentum":0.9},"steps":{{steps}},"batchSize":32,"seed":{{seed}},
         "evalEvery":50,"checkpointEvery":50,"doctor":{"mode":"{{doctor}}"} }
        """));

    /// <summary>The 784-256-256-10 MLP of the overhead goal, on synthetic data, SGD + momentum, batch 64, no validation.</summary>
    public static JobSpec Mlp784(long steps, string doctor = "auto", int checkpointEvery = 100) => JobSpec.Parse(FormattableString.Invariant($$"""
        {"name":"overhead","model":{"type":"mlp","layers":[256,256]},
         "data":{"type":"synthetic","samples":4096,"features":784,"classes":10,"valFraction":0},
         "optimizer":{"type":"sgd","lr":0.01,"momentum":0.9},"steps":{{steps}},"batchSize":64,"seed":1,
         "evalEvery":{{steps + 1}},"checkpointEvery":{{checkpointEvery}},"doctor":{"mode":"{{doctor}}"} }
        """));
}

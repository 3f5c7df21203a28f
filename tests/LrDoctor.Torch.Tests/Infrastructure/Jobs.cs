using LrDoctor.Core.Jobs;

namespace LrDoctor.Torch.Tests.Infrastructure;

/// <summary>Job specs on the vendored digits data used across the engine tests.</summary>
internal static class Jobs
{
    public static readonly TrainingRunOptions Options = new() { Threads = 2 };

    public static JobSpec DigitsMlp(string optimizer = """{"type":"sgd","lr":0.1,"momentum":0.9}""", long steps = 300, string extra = "", string model = """{"type":"mlp","layers":[64]}""", int seed = 1) =>
        JobSpec.Parse($$"""
        {"name":"digits-mlp","model":{{model}},"data":{"type":"digits"},
         "optimizer":{{optimizer}},"steps":{{steps}},"batchSize":32,"seed":{{seed}},"evalEvery":50,"checkpointEvery":50{{extra}}}
        """);

    /// <summary>A tanh MLP with SGD + momentum 0.9 at <paramref name="lr"/> (its good LR is 0.1): far above that its weights blow up.</summary>
    public static JobSpec Tanh(double lr, string doctorMode, int seed = 1, long steps = 300) => DigitsMlp(
        FormattableString.Invariant($$"""{"type":"sgd","lr":{{lr}},"momentum":0.9}"""),
        extra: $$""","doctor":{"mode":"{{doctorMode}}"}""",
        steps: steps,
        model: """{"type":"mlp","layers":[64],"activation":"tanh"}""",
        seed: seed);

    /// <summary>The tanh MLP at 100x its good LR (0.1): its weights blow up and the loss explodes.</summary>
    public static JobSpec HotTanh(string doctorMode) => Tanh(10, doctorMode);
}

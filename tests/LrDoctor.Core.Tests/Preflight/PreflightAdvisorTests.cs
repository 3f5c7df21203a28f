using LrDoctor.Core.Jobs;
using LrDoctor.Core.Preflight;

namespace LrDoctor.Core.Tests.Preflight;

public sealed class PreflightAdvisorTests
{
    private static JobSpec Job(string optimizer, string extra = "", string model = """{"type":"mlp"}""", string data = """{"type":"digits"}""") =>
        JobSpec.Parse($$"""{"name":"j","model":{{model}},"data":{{data}},"optimizer":{{optimizer}},"steps":10{{extra}}}""");

    private static string[] Codes(JobSpec job) => [.. PreflightAdvisor.Advise(job).Select(a => a.Code)];

    [Fact]
    public void Advise_UsualSettings_GivesNoAdvice()
    {
        Assert.Empty(Codes(Job("""{"type":"sgd","lr":0.1,"momentum":0.9}""")));
        Assert.Empty(Codes(Job("""{"type":"adamw","lr":0.001,"weightDecay":0.01}""")));
    }

    [Theory]
    [InlineData("""{"type":"adam","lr":0.05}""", "lr_high_for_optimizer")]
    [InlineData("""{"type":"adam","lr":1e-6}""", "lr_low_for_optimizer")]
    [InlineData("""{"type":"sgd","lr":3}""", "lr_high_for_optimizer")]
    [InlineData("""{"type":"sgd","lr":1e-5}""", "lr_low_for_optimizer")]
    public void Advise_LrOutsideUsualRange_SaysSoWithTheRange(string optimizer, string code)
    {
        var advice = PreflightAdvisor.Advise(Job(optimizer));

        var single = Assert.Single(advice);
        Assert.Equal(code, single.Code);
        Assert.Contains("usual range", single.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Advise_BatchChangedWithoutScaling_GivesBothRules()
    {
        var advice = PreflightAdvisor.Advise(Job("""{"type":"sgd","lr":0.1}""", ",\"batchSize\":128,\"baseBatchSize\":32"));

        var single = Assert.Single(advice);
        Assert.Equal("batch_changed_lr_not_scaled", single.Code);
        Assert.Contains("0.4", single.Reason, StringComparison.Ordinal);
        Assert.Contains("0.2", single.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Advise_TransformerAdamHighLrNoWarmup_AdvisesWarmup_UnlessScheduleWarmsUp()
    {
        const string model = """{"type":"char_transformer"}""";
        const string data = """{"type":"text","path":"t.txt"}""";

        Assert.Contains("transformer_no_warmup", Codes(Job("""{"type":"adamw","lr":0.003}""", model: model, data: data)));
        Assert.DoesNotContain("transformer_no_warmup", Codes(Job("""{"type":"adamw","lr":0.003}""", ",\"schedule\":{\"type\":\"warmup_cosine\",\"warmupSteps\":10,\"totalSteps\":100}", model, data)));
    }

    [Fact]
    public void Advise_WeightDecayOnAdam_AdvisesAdamW()
    {
        Assert.Contains("adam_weight_decay", Codes(Job("""{"type":"adam","lr":0.001,"weightDecay":0.01}""")));
        Assert.DoesNotContain("adam_weight_decay", Codes(Job("""{"type":"adamw","lr":0.001,"weightDecay":0.01}""")));
    }
}

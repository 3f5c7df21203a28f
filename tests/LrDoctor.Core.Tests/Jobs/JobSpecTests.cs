using LrDoctor.Core.Jobs;

namespace LrDoctor.Core.Tests.Jobs;

public sealed class JobSpecTests
{
    private const string Minimal = """{"name":"j","model":{"type":"mlp"},"data":{"type":"digits"},"optimizer":{"type":"sgd","lr":0.1},"steps":10}""";

    private static SpecException Fails(string json) => Assert.Throws<SpecException>(() => JobSpec.Parse(json));

    private static string With(string replace, string by) => Minimal.Replace(replace, by, StringComparison.Ordinal);

    [Fact]
    public void Parse_MinimalJob_TakesDocumentedDefaults()
    {
        var job = JobSpec.Parse(Minimal);

        Assert.Equal("j", job.Name);
        Assert.Equal(ModelSpec.Mlp, job.Model.Type);
        Assert.Equal("data/digits.csv", job.Data.Path);
        Assert.Equal(10, job.Steps);
        Assert.Equal(32, job.BatchSize);
        Assert.Equal("cpu", job.Device);
        Assert.Equal(DoctorSpec.Auto, job.Doctor.Mode);
        Assert.Equal(0.1, job.Doctor.CutFactor);
        Assert.Equal(5, job.Doctor.MaxRollbacks);
        Assert.True(job.Doctor.RetestLr);
        Assert.Equal(10, job.Doctor.Plateau.Patience);
        Assert.Null(job.Schedule);
        Assert.False(job.FindLr);
    }

    [Fact]
    public void Parse_FullJob_ReadsEveryField()
    {
        var job = JobSpec.Parse("""
            {"name":"full","model":{"type":"char_transformer","dModel":32,"heads":2,"blocks":1,"context":16},
             "data":{"type":"text","path":"corpus.txt","valFraction":0.1},
             "optimizer":{"type":"adamw","lr":0.001,"betas":[0.9,0.95],"weightDecay":0.1,"eps":1e-6,
                          "paramGroups":[{"pattern":"*.bias","lrMultiplier":2,"weightDecay":0}],"layerDecay":0.8},
             "schedule":{"type":"warmup_cosine","warmupSteps":10,"totalSteps":100},
             "epochs":3,"batchSize":64,"baseBatchSize":32,"batchScaling":"sqrt","gradClip":1.0,"seed":7,
             "evalEvery":5,"checkpointEvery":20,"findLr":true,"autoStart":true,
             "doctor":{"mode":"advise","cutFactor":0.2,"maxRollbacks":3,"skipBatches":2,"retestLr":false,"minScale":0.01,
                       "plateau":{"factor":0.5,"patience":3,"threshold":0.01,"thresholdMode":"abs","cooldown":1,"minLr":1e-6}}}
            """);

        Assert.Equal(16, job.Model.Context);
        Assert.Equal([0.9, 0.95], job.Optimizer.Betas);
        Assert.Equal(new ParamGroupSpec("*.bias", 2, 0), job.Optimizer.ParamGroups[0]);
        Assert.Equal(0.8, job.Optimizer.LayerDecay);
        Assert.Equal("warmup_cosine", job.Schedule!.Value.GetProperty("type").GetString());
        Assert.Equal(3, job.Epochs);
        Assert.Equal(0.001 * Math.Sqrt(2), job.ScaledLr, 15);
        Assert.Equal(1.0, job.GradClip);
        Assert.True(job.FindLr);
        Assert.Equal(DoctorSpec.Advise, job.Doctor.Mode);
        Assert.Equal(2, job.Doctor.SkipBatches);
        Assert.False(job.Doctor.RetestLr);
        Assert.Equal(0.01, job.Doctor.MinScale);
        Assert.Equal("abs", job.Doctor.Plateau.ThresholdMode);
        Assert.Equal(1e-6, job.Doctor.Plateau.MinLr);
    }

    [Theory]
    [InlineData("\"type\":\"mlp\"", "\"type\":\"resnet\"", "model.type", "mlp, cnn, char_transformer")]
    [InlineData("\"type\":\"digits\"", "\"type\":\"imagenet\"", "data.type", "digits, csv, text, synthetic")]
    [InlineData("\"type\":\"sgd\"", "\"type\":\"lbfgs\"", "optimizer.type", "sgd, adam, adamw, rmsprop, adagrad, adadelta, adamax, nadam, radam")]
    [InlineData("\"steps\":10", "\"steps\":10,\"doctor\":{\"mode\":\"panic\"}", "doctor.mode", "auto, advise, off")]
    public void Parse_UnknownType_NamesFieldAndListsAllowed(string replace, string by, string field, string allowed)
    {
        var e = Fails(With(replace, by));

        Assert.Equal(field, e.Field);
        Assert.Contains(allowed, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"lr\":0.1", "\"lr\":-1", "optimizer.lr")]
    [InlineData(",\"lr\":0.1", "", "optimizer.lr")]
    [InlineData("{\"type\":\"mlp\"}", "{\"type\":\"mlp\",\"layers\":[64,\"wide\"]}", "model.layers[1]")]
    [InlineData("{\"type\":\"mlp\"}", "{\"type\":\"mlp\",\"layers\":[64,0]}", "model.layers[1]")]
    [InlineData("\"steps\":10", "\"epochs\":0", "epochs")]
    [InlineData("\"steps\":10", "\"steps\":10,\"epochs\":2", "epochs")]
    [InlineData(",\"steps\":10", "", "steps")]
    [InlineData("\"steps\":10", "\"steps\":10,\"batchsize\":8", "batchsize")]
    [InlineData("{\"type\":\"digits\"}", "{\"type\":\"csv\"}", "data.path")]
    [InlineData("\"lr\":0.1", "\"lr\":0.1,\"betas\":[0.9,0.99]", "optimizer.betas")]
    [InlineData("\"lr\":0.1", "\"lr\":0.1,\"nesterov\":true", "optimizer.nesterov")]
    [InlineData("\"lr\":0.1", "\"lr\":0.1,\"paramGroups\":[{\"lrMultiplier\":2}]", "optimizer.paramGroups[0].pattern")]
    [InlineData("\"steps\":10", "\"steps\":10,\"batchScaling\":\"linear\"", "baseBatchSize")]
    [InlineData("\"steps\":10", "\"steps\":10,\"device\":\"tpu\"", "device")]
    public void Parse_BadField_SpecExceptionNamesIt(string replace, string by, string field)
    {
        var e = Fails(With(replace, by));

        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Parse_MalformedJson_FailsWithSpecException()
    {
        var e = Fails("{\"name\": ");

        Assert.Equal("$", e.Field);
    }

    [Fact]
    public void Parse_LinearBatchScaling_ScalesHeadlineLr()
    {
        var job = JobSpec.Parse(With("\"steps\":10", "\"steps\":10,\"batchSize\":128,\"baseBatchSize\":32,\"batchScaling\":\"linear\""));

        Assert.Equal(0.4, job.ScaledLr, 15);
    }

    [Fact]
    public void Parse_BadSchedule_IsRefusedWithTheJobNamingTheScheduleField()
    {
        var e = Fails(With("\"steps\":10", "\"steps\":10,\"schedule\":{\"type\":\"sawtooth\"}"));

        Assert.StartsWith("schedule", e.Field, StringComparison.Ordinal);
    }
}

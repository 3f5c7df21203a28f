using System.Text.Json;
using LrDoctor.Core.Schedules;

namespace LrDoctor.Core.Tests.Schedules;

/// <summary>Bad specs fail with a <see cref="SpecException"/> naming the field and saying what is wrong.</summary>
public sealed class ScheduleFactoryErrorTests
{
    [Fact]
    public void Create_UnknownType_NamesTheValidTypes()
    {
        SpecException e = Fails("""{"type":"foo"}""");

        Assert.Equal("schedule.type", e.Field);
        Assert.Contains("unknown type 'foo'", e.Message, StringComparison.Ordinal);
        Assert.All(ScheduleFactory.Types, t => Assert.Contains(t, e.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"tMax":10}""", "schedule.type", "required field is missing")]
    [InlineData("""{"type":"cosine"}""", "schedule.tMax", "required field is missing")]
    [InlineData("""{"type":"cosine","tMax":null}""", "schedule.tMax", "required field is missing")]
    [InlineData("""{"type":"exponential","gamma":-0.5}""", "schedule.gamma", "must not be negative")]
    [InlineData("""{"type":"exponential","gamma":"NaN"}""", "schedule.gamma", "must be a finite number, got NaN")]
    [InlineData("""{"type":"exponential","gamma":"fast"}""", "schedule.gamma", "must be a number")]
    [InlineData("""{"type":"step","stepSize":0}""", "schedule.stepSize", "must be at least 1")]
    [InlineData("""{"type":"step","stepSize":2.5}""", "schedule.stepSize", "must be an integer, got 2.5")]
    [InlineData("""{"type":"multistep","milestones":[30,-80]}""", "schedule.milestones[1]", "must not be negative")]
    [InlineData("""{"type":"multistep","milestones":30}""", "schedule.milestones", "must be an array")]
    [InlineData("""{"type":"linear","startFactor":0}""", "schedule.startFactor", "must be > 0")]
    [InlineData("""{"type":"cyclic","baseLr":0.001}""", "schedule.maxLr", "required field is missing")]
    [InlineData("""{"type":"cyclic","maxLr":0.1,"mode":"sawtooth"}""", "schedule.mode", "must be one of triangular, triangular2, exp_range")]
    [InlineData("""{"type":"onecycle","maxLr":0.1}""", "schedule.totalSteps", "required field is missing")]
    [InlineData("""{"type":"onecycle","totalSteps":10,"pctStart":0.1}""", "schedule.pctStart", "divides by zero")]
    [InlineData("""{"type":"onecycle","totalSteps":10,"pctStart":1.5}""", "schedule.pctStart", "must be <= 1")]
    [InlineData("""{"type":"onecycle","totalSteps":10,"cycleMomentum":"yes"}""", "schedule.cycleMomentum", "must be true or false")]
    [InlineData("""{"type":"wsd","decayStart":80,"totalSteps":50}""", "schedule.totalSteps", "must be at least decayStart (80)")]
    [InlineData("""{"type":"wsd","decayStart":80,"totalSteps":100,"decay":"exp"}""", "schedule.decay", "must be one of linear, cosine, 1-sqrt")]
    [InlineData("""{"type":"cosine","tMax":10,"etamin":0.1}""", "schedule.etamin", "unknown field; valid: type, tMax, etaMin")]
    [InlineData("""[1,2]""", "schedule", "must be a JSON object")]
    public void Create_BadField_NamesTheField(string json, string field, string problem)
    {
        SpecException e = Fails(json);

        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith(field + ": ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"sequential","schedules":[{"type":"constant"},{"type":"cosine","tMax":5}],"milestones":[]}""", "schedule.milestones", "needs 1 milestone(s) for 2 schedules")]
    [InlineData("""{"type":"sequential","schedules":[{"type":"constant"},{"type":"constant"},{"type":"constant"}],"milestones":[10,10]}""", "schedule.milestones[1]", "must be greater than the previous milestone")]
    [InlineData("""{"type":"sequential","schedules":[{"type":"constant"},{"type":"cosine"}],"milestones":[10]}""", "schedule.schedules[1].tMax", "required field is missing")]
    [InlineData("""{"type":"sequential","schedules":[{"type":"constant"},{"type":"sequential","schedules":[{"type":"constant"}],"milestones":[]}],"milestones":[10]}""", "schedule.schedules[1].type", "cannot contain another sequential")]
    [InlineData("""{"type":"sequential","schedules":[],"milestones":[]}""", "schedule.schedules", "must not be empty")]
    [InlineData("""{"type":"sequential","schedules":[{"type":"constant"},{"type":"constant"}],"milestones":[0]}""", "schedule.milestones[0]", "must be at least 1")]
    public void Create_BadSequential_NamesTheNestedField(string json, string field, string problem)
    {
        SpecException e = Fails(json);

        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CustomPath_PrefixesEveryField()
    {
        using JsonDocument doc = JsonDocument.Parse("""{"type":"step","stepSize":-3}""");

        SpecException e = Assert.Throws<SpecException>(() => ScheduleFactory.Create(doc.RootElement, 0.1, "jobs[2].schedule"));

        Assert.Equal("jobs[2].schedule.stepSize", e.Field);
    }

    [Fact]
    public void Create_NonFiniteBaseLr_Throws()
    {
        using JsonDocument doc = JsonDocument.Parse("""{"type":"constant"}""");

        Assert.Throws<ArgumentOutOfRangeException>(() => ScheduleFactory.Create(doc.RootElement, double.NaN));
    }

    private static SpecException Fails(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return Assert.Throws<SpecException>(() => ScheduleFactory.Create(doc.RootElement, 0.1));
    }
}

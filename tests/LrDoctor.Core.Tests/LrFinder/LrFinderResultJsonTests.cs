using System.Text.Json;
using LrDoctor.Core.Json;
using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Tests.LrFinder;

public sealed class LrFinderResultJsonTests
{
    [Fact]
    public void Serialize_Result_HasTheDocumentedShape()
    {
        var result = SyntheticCurve.Run(x => SyntheticCurve.Typical(x));

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result, LrDoctorJson.Options));
        var root = json.RootElement;

        var point = root.GetProperty("points")[0];
        Assert.Equal(result.Points[0].Lr, point.GetProperty("lr").GetDouble());
        Assert.Equal(result.Points[0].Loss, point.GetProperty("loss").GetDouble());
        Assert.Equal(result.Points[0].SmoothedLoss, point.GetProperty("smoothedLoss").GetDouble());
        var suggestions = root.GetProperty("suggestions");
        Assert.Equal(result.Suggestions.Steep, suggestions.GetProperty("steep").GetDouble());
        Assert.Equal(result.Suggestions.Valley, suggestions.GetProperty("valley").GetDouble());
        Assert.Equal(result.Suggestions.Minimum, suggestions.GetProperty("minimum").GetDouble());
        Assert.Equal(result.Recommended, root.GetProperty("recommended").GetDouble());
        Assert.Equal(result.DivergenceLr, root.GetProperty("divergenceLr").GetDouble());
        Assert.True(root.GetProperty("stoppedEarly").GetBoolean());
        Assert.Equal(1.5, root.GetProperty("seconds").GetDouble());
    }

    [Fact]
    public void Serialize_NoSuggestion_WritesExplicitNulls()
    {
        var result = LrFinderAnalysis.Analyze([], stoppedEarly: true, LrFinderStopReasons.NonFinite, 0.1);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result, LrDoctorJson.Options));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("recommended").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("divergenceLr").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("suggestions").GetProperty("steep").ValueKind);
    }

    [Fact]
    public void Deserialize_SerializedResult_RoundTrips()
    {
        var result = SyntheticCurve.Run(x => SyntheticCurve.Typical(x));

        var back = JsonSerializer.Deserialize<LrFinderResult>(JsonSerializer.Serialize(result, LrDoctorJson.Options), LrDoctorJson.Options)!;

        Assert.Equal(result.Recommended, back.Recommended);
        Assert.Equal(result.Points.Count, back.Points.Count);
        Assert.Equal(result.RecommendedRule, back.RecommendedRule);
    }
}

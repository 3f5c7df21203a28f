using LrDoctor.Core.Alerts;

namespace LrDoctor.Core.Tests.Alerts;

public sealed class AlertmanagerPayloadReaderTests
{
    // As Alertmanager 0.25 posts it (nanosecond times, zero endsAt while firing).
    internal const string FiringSpike = """
        {"receiver":"lrdoctor","status":"firing","alerts":[{"status":"firing",
          "labels":{"action":"rollback_and_cut","alertname":"LrDoctorLossSpike","instance":"127.0.0.1:5088","job":"lrdoctor","run":"r-42","severity":"warning","symptom":"spike"},
          "annotations":{"summary":"Run r-42: the loss jumped well above its recent level"},
          "startsAt":"2026-11-22T22:40:01.123456789Z","endsAt":"0001-01-01T00:00:00Z",
          "generatorURL":"http://127.0.0.1:9090/graph?g0.expr=...","fingerprint":"9c1f0e3a5b7d2f41"}],
         "groupLabels":{"alertname":"LrDoctorLossSpike","run":"r-42"},"commonLabels":{"alertname":"LrDoctorLossSpike"},
         "commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4",
         "groupKey":"{}/{alertname=~\"LrDoctor.*\"}:{alertname=\"LrDoctorLossSpike\", run=\"r-42\"}","truncatedAlerts":0}
        """;

    [Fact]
    public void Read_AlertmanagerFiringPayload_ReadsLabelsTimesAndFingerprint()
    {
        var payload = AlertmanagerPayloadReader.Read(FiringSpike);

        Assert.Equal("4", payload.Version);
        Assert.Equal("lrdoctor", payload.Receiver);
        var alert = Assert.Single(payload.Alerts);
        Assert.True(alert.IsFiring);
        Assert.Equal("LrDoctorLossSpike", alert.Name);
        Assert.Equal("r-42", alert.Label("run"));
        Assert.Equal("rollback_and_cut", alert.Label("action"));
        Assert.Equal("9c1f0e3a5b7d2f41", alert.Fingerprint);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 22, 40, 1, TimeSpan.Zero).AddTicks(1234567), alert.StartsAt);
        Assert.Null(alert.EndsAt);
        Assert.Equal("Run r-42: the loss jumped well above its recent level", alert.Annotations["summary"]);
    }

    [Fact]
    public async Task ReadAsync_Stream_ReadsSamePayload()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(FiringSpike));

        var payload = await AlertmanagerPayloadReader.ReadAsync(stream);

        Assert.Equal("r-42", Assert.Single(payload.Alerts).Label("run"));
    }

    [Theory]
    [InlineData("not json", "$")]
    [InlineData("[1,2]", "$")]
    [InlineData("""{"status":"firing","alerts":[]}""", "version")]
    [InlineData("""{"version":"3","status":"firing","alerts":[]}""", "version")]
    [InlineData("""{"version":"4","status":"firing"}""", "alerts")]
    [InlineData("""{"version":"4","status":"burning","alerts":[]}""", "status")]
    [InlineData("""{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{},"startsAt":"2026-11-22T22:40:01Z"}]}""", "alerts[0].fingerprint")]
    [InlineData("""{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"run":5},"startsAt":"2026-11-22T22:40:01Z","fingerprint":"a"}]}""", "alerts[0].labels.run")]
    [InlineData("""{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{},"startsAt":"yesterday","fingerprint":"a"}]}""", "alerts[0].startsAt")]
    [InlineData("""{"version":"4","status":"firing","alerts":[{"status":"firing","startsAt":"2026-11-22T22:40:01Z","fingerprint":"a"}]}""", "alerts[0].labels")]
    [InlineData("""{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{},"startsAt":"2026-11-22T22:40:01Z","fingerprint":"a"},{"status":"?","labels":{},"startsAt":"2026-11-22T22:40:01Z","fingerprint":"b"}]}""", "alerts[1].status")]
    public void Read_MalformedPayload_ThrowsNamingTheField(string json, string field)
    {
        var e = Assert.Throws<SpecException>(() => AlertmanagerPayloadReader.Read(json));

        Assert.Equal(field, e.Field);
    }
}

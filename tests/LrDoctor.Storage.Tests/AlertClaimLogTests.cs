using LrDoctor.Core.Alerts;

namespace LrDoctor.Storage.Tests;

public sealed class AlertClaimLogTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static DateTimeOffset At(int minute) => new(2026, 11, 23, 1, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Load_AfterReopening_GivesTheLatestClaimPerFingerprint()
    {
        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            store.Save(new AlertClaim("fp-1", At(1)));
            store.Save(new AlertClaim("fp-2", At(2)));
            store.Save(new AlertClaim("fp-1", At(3)));
        }

        using var reopened = new LiteDbRunStore(_temp.DbPath);

        Assert.Equal([new AlertClaim("fp-1", At(3)), new AlertClaim("fp-2", At(2))], reopened.Load(10));
    }

    [Fact]
    public void Load_MoreClaimsThanTheLimit_KeepsTheNewestAndForgetsTheRest()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        for (int i = 0; i < 5; i++)
        {
            store.Save(new AlertClaim($"fp-{i}", At(i)));
        }

        var newest = store.Load(2);

        Assert.Equal(["fp-4", "fp-3"], newest.Select(c => c.Fingerprint));
        Assert.Equal(2, store.Load(10).Count);
    }
}

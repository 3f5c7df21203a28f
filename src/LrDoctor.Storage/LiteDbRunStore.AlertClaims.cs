using LiteDB;
using LrDoctor.Core.Alerts;

namespace LrDoctor.Storage;

/// <summary>The alert claims of <see cref="IAlertClaimLog"/>, in the same LiteDB file as the runs.</summary>
internal sealed partial class LiteDbRunStore
{
    private const string AlertClaimsCollection = "alert_claims";

    /// <inheritdoc/>
    public IReadOnlyList<AlertClaim> Load(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_writeLock)
        {
            var claims = _db.GetCollection(AlertClaimsCollection);
            var all = claims.FindAll()
                .Select(d => new AlertClaim(d["_id"].AsString, DateTimeOffset.FromUnixTimeMilliseconds(d["startsAt"].AsInt64)))
                .OrderByDescending(c => c.StartsAt)
                .ToList();
            foreach (var forgotten in all.Skip(limit))
            {
                claims.Delete(forgotten.Fingerprint);
            }

            return all.Count > limit ? all[..limit] : all;
        }
    }

    /// <inheritdoc/>
    public void Save(AlertClaim claim)
    {
        lock (_writeLock)
        {
            _db.GetCollection(AlertClaimsCollection).Upsert(new BsonDocument
            {
                ["_id"] = claim.Fingerprint,
                ["startsAt"] = claim.StartsAt.ToUnixTimeMilliseconds(),
            });
        }
    }
}

namespace LrDoctor.Web;

/// <summary>One file of the built-in dashboard, held in memory.</summary>
/// <param name="Path">The URL path it is served at.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="Content">Its bytes.</param>
/// <param name="ETag">A strong entity tag from its content hash.</param>
internal sealed record DashboardAsset(string Path, string ContentType, byte[] Content, string ETag);

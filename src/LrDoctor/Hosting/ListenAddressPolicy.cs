using System.Net;

namespace LrDoctor.Hosting;

/// <summary>Refuses to bind a non-loopback address unless an API key protects the mutating endpoints.</summary>
internal static class ListenAddressPolicy
{
    /// <summary>Checks the <c>Urls</c> value (one or more URLs separated by <c>;</c>).</summary>
    /// <param name="urls">The URLs to bind.</param>
    /// <param name="apiKey">The configured API key, if any.</param>
    /// <returns>The problem to report, or <see langword="null"/> when binding is allowed.</returns>
    public static string? Check(string urls, string? apiKey)
    {
        foreach (string url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IsLoopback(url) && string.IsNullOrEmpty(apiKey))
            {
                return $"Urls: '{url}' is not a loopback address; set LrDoctor:Auth:ApiKey to serve beyond this machine";
            }
        }

        return null;
    }

    /// <summary>Gets whether a URL binds only loopback addresses.</summary>
    public static bool IsLoopback(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        string rest = scheme >= 0 ? url[(scheme + 3)..] : url;
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        string host = rest.StartsWith('[') ? rest[1..rest.IndexOf(']', StringComparison.Ordinal)] : rest.Split(':')[0];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }
}

using System.Reflection;
using System.Security.Cryptography;

namespace LrDoctor.Web;

/// <summary>Serves the built-in web dashboard (<c>/</c>): the page, its script and style and the vendored uPlot, all embedded in the assembly.</summary>
internal static class DashboardEndpoints
{
    private const string ResourcePrefix = "wwwroot/";

    /// <summary>Maps <c>GET /</c> and one route per embedded dashboard file.</summary>
    /// <param name="endpoints">The daemon's endpoints.</param>
    /// <returns>The endpoints, for chaining.</returns>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        foreach (var asset in LoadAssets())
        {
            IResult Serve(HttpContext context)
            {
                context.Response.Headers.CacheControl = "no-cache";
                return context.Request.Headers.IfNoneMatch == asset.ETag
                    ? Results.StatusCode(StatusCodes.Status304NotModified)
                    : Results.Bytes(asset.Content, asset.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(asset.ETag));
            }

            endpoints.MapGet(asset.Path, Serve).ExcludeFromDescription();
            if (asset.Path == "/index.html")
            {
                endpoints.MapGet("/", Serve).ExcludeFromDescription();
            }
        }

        return endpoints;
    }

    /// <summary>Reads the embedded dashboard files.</summary>
    /// <returns>One asset per file.</returns>
    internal static IReadOnlyList<DashboardAsset> LoadAssets()
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        var assets = new List<DashboardAsset>();
        foreach (string name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            byte[] content = Read(assembly, name);
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8)) + "\"";
            assets.Add(new DashboardAsset("/" + name[ResourcePrefix.Length..], ContentTypeOf(name), content, etag));
        }

        return assets;
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    };
}

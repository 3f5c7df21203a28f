using System.Net;

namespace LrDoctor.Tests.Web;

public sealed class DashboardEndpointsTests
{
    [Theory]
    [InlineData("/", "text/html", "<title>LrDoctor</title>")]
    [InlineData("/app.js", "text/javascript", "activeSymptoms")]
    [InlineData("/app.css", "text/css", "--vermillion")]
    [InlineData("/lib/uPlot.iife.min.js", "text/javascript", "uPlot")]
    [InlineData("/lib/uPlot.min.css", "text/css", ".uplot")]
    [InlineData("/lib/uPlot.LICENSE.txt", "text/plain", "MIT")]
    public async Task Get_DashboardFile_ServesItWithItsMediaType(string path, string mediaType, string content)
    {
        await using var host = await DashboardHost.StartAsync();

        using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithMatchingETag_Answers304()
    {
        await using var host = await DashboardHost.StartAsync();
        using var first = await host.Client.GetAsync(new Uri("/app.js", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/app.js", UriKind.Relative));
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Hosting;

[Collection(DaemonCollection.Name)]
public sealed class SystemdNotifyTests
{
    private static async Task<string> ReceiveUntilAsync(Socket socket, string wanted, List<string> seen, TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            string message = Encoding.UTF8.GetString(buffer, 0, n);
            seen.Add(message);
            if (message.Split('\n').Contains(wanted))
            {
                return message;
            }
        }
    }

    [Fact]
    public async Task Serve_UnderSystemd_SendsReadyOnceServingAndStoppingOnSigterm()
    {
        string dir = DaemonProcess.NewWorkDir();
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), TestJobs.Settings());
        string socketPath = Path.Combine(dir, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        // Microsoft.Extensions.Hosting.Systemd activates only under a parent process named systemd.
        string fakeSystemd = Path.Combine(dir, "systemd");
        File.CreateSymbolicLink(fakeSystemd, "/bin/bash");
        int port = DaemonProcess.FreePort();
        var psi = new ProcessStartInfo(fakeSystemd)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec 0</dev/null; dotnet '{DaemonProcess.DaemonDll}' serve --urls http://127.0.0.1:{port}; :");
        psi.Environment["NOTIFY_SOCKET"] = socketPath;
        using var parent = Process.Start(psi)!;
        var output = parent.StandardOutput.ReadToEndAsync();
        var seen = new List<string>();
        try
        {
            await ReceiveUntilAsync(socket, "READY=1", seen, TimeSpan.FromSeconds(60));

            // READY=1 came once Kestrel listens: the API answers now.
            using (var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") })
            {
                Assert.Equal("ok", await client.GetStringAsync(new Uri("healthz", UriKind.Relative)));
            }

            int daemon = Assert.Single(ProcessTree.Children(parent.Id));
            using (var kill = Process.Start("kill", $"-TERM {daemon}"))
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            await ReceiveUntilAsync(socket, "STOPPING=1", seen, TimeSpan.FromSeconds(60));
            await parent.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        }
        finally
        {
            if (!parent.HasExited)
            {
                parent.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(["READY=1", "STOPPING=1"], seen.SelectMany(m => m.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Where(m => m is "READY=1" or "STOPPING=1"));
        Assert.Contains("Application is shutting down", await output, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LrDoctor.Bench;

/// <summary>Resident memory of the real daemon process: idle, and after a run (its worker loads libtorch, the daemon never does).</summary>
internal sealed class MemoryBenchmark : IBenchmark
{
    public string Name => "memory";

    public string Description => "daemon RSS idle before any job, and after a digits run (libtorch only in the worker)";

    public int Run(string[] args)
    {
        string dir = Path.Combine(Path.GetTempPath(), "lrdoctor-memory-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), """{"Logging":{"LogLevel":{"Default":"Warning"}}}""");
        int port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lrdoctor.dll"));
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{port}");
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        using var daemon = Process.Start(psi)!;
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        try
        {
            Wait(() => Ok(client, "healthz"), "healthz");
            client.GetStringAsync(new Uri("metrics", UriKind.Relative)).GetAwaiter().GetResult();
            Thread.Sleep(5000);
            long idle = RssKiB(daemon.Id);
            bool idleTorch = LoadsLibtorch(daemon.Id);

            string job = """{"name":"mem","model":{"type":"mlp","layers":[64]},"data":{"type":"digits"},"optimizer":{"type":"sgd","lr":0.05,"momentum":0.9},"steps":2000,"batchSize":32,"seed":1}""";
            using var response = client.PostAsync(new Uri("api/runs", UriKind.Relative), new StringContent(job, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            string location = response.Headers.Location!.OriginalString.TrimStart('/');
            long peakWorker = 0;
            Wait(
                () =>
                {
                    foreach (int child in Children(daemon.Id))
                    {
                        peakWorker = Math.Max(peakWorker, RssKiB(child));
                    }

                    return client.GetStringAsync(new Uri(location, UriKind.Relative)).GetAwaiter().GetResult().Contains("\"completed\"", StringComparison.Ordinal);
                },
                "the run");
            long after = RssKiB(daemon.Id);
            bool afterTorch = LoadsLibtorch(daemon.Id);
            Console.WriteLine($"| daemon RSS, idle (no job yet), libtorch mapped: {idleTorch} | {idle / 1024.0:F1} MiB |");
            Console.WriteLine($"| daemon RSS after a 2,000-step digits run, libtorch mapped: {afterTorch} | {after / 1024.0:F1} MiB |");
            Console.WriteLine($"| worker RSS peak during that run (libtorch) | {peakWorker / 1024.0:F1} MiB |");
            return 0;
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            daemon.WaitForExit();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool Ok(HttpClient client, string path)
    {
        try
        {
            using var r = client.GetAsync(new Uri(path, UriKind.Relative)).GetAwaiter().GetResult();
            return r.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static void Wait(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            Thread.Sleep(100);
        }
    }

    private static long RssKiB(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static bool LoadsLibtorch(int pid) => File.ReadAllText($"/proc/{pid}/maps").Contains("libtorch", StringComparison.Ordinal);

    private static IEnumerable<int> Children(int parent)
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(dir, "stat"));
                }
                catch (IOException)
                {
                    continue;
                }

                if (stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == parent.ToString(CultureInfo.InvariantCulture))
                {
                    yield return pid;
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

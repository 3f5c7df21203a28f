using System.Diagnostics;
using System.Threading.Channels;
using LrDoctor.Supervision;

namespace LrDoctor.Tests.Supervision;

/// <summary>Starts a real child process in place of <c>lrdoctor worker</c> that reads the start line and exits with code 3, as a
/// worker killed by a native error would, and tells the test each time one is started.</summary>
internal sealed class DyingWorkerLauncher : WorkerLauncher
{
    public const int ExitCode = 3;

    private readonly Channel<int> _launches = Channel.CreateUnbounded<int>();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override ProcessStartInfo CreateStartInfo(int threads)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"head -n 1 >/dev/null; echo 'worker: native error' >&2; exit {ExitCode}");
        _launches.Writer.TryWrite(Interlocked.Increment(ref _count));
        return psi;
    }

    /// <summary>Waits (at most 30 s) for the next worker start; returns how many were started so far.</summary>
    public async Task<int> NextLaunchAsync() =>
        await _launches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
}

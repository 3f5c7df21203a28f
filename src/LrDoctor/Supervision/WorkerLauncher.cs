using System.Diagnostics;

namespace LrDoctor.Supervision;

/// <summary>Starts <c>lrdoctor worker</c> child processes: the same executable (or <c>dotnet lrdoctor.dll</c>) with standard streams redirected.</summary>
internal class WorkerLauncher
{
    /// <summary>Creates the start info of one worker.</summary>
    /// <param name="threads">The libtorch thread count (also the OpenMP one).</param>
    /// <returns>The start info.</returns>
    public virtual ProcessStartInfo CreateStartInfo(int threads)
    {
        string? processPath = Environment.ProcessPath;
        string self = typeof(WorkerLauncher).Assembly.Location;
        bool viaDotnet = processPath is null
            || Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var psi = new ProcessStartInfo(viaDotnet ? "dotnet" : processPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
        if (viaDotnet)
        {
            psi.ArgumentList.Add(self);
        }

        psi.ArgumentList.Add("worker");

        // OpenMP's default spin-wait burns the cores the other runs need.
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        psi.Environment["OMP_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment.Remove("NOTIFY_SOCKET");
        return psi;
    }
}

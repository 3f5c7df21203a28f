using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Hosting;

public sealed partial class SystemdUnitTests
{
    private static string UnitPath => Path.Combine(RepoRoot(), "deploy", "lrdoctor.service");

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex Exposure();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LrDoctor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (LrDoctor.sln) not found above " + AppContext.BaseDirectory);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Fact]
    [Trait(TestTier.Name, TestTier.Full)] // systemd-analyze (apt: systemd)
    public void Unit_SystemdAnalyzeVerify_AcceptsItWithoutAnyWarning()
    {
        // verify checks that ExecStart exists: give it a root with the system units and a stand-in executable there.
        string root = Path.Combine(Path.GetTempPath(), "lrdoctor-unit-" + Guid.NewGuid().ToString("N")[..8]);
        string unit = File.ReadAllText(UnitPath);
        string exec = Regex.Match(unit, @"^ExecStart=(\S+)", RegexOptions.Multiline).Groups[1].Value;
        Directory.CreateDirectory(Path.Combine(root, "etc/systemd/system"));
        Directory.CreateDirectory(Path.Combine(root, "usr/lib/systemd"));
        Directory.CreateDirectory(Path.GetDirectoryName(root + exec)!);
        File.WriteAllText(root + exec, "#!/bin/sh\n");
        Assert.Equal(0, Run("chmod", "+x", root + exec).ExitCode);
        File.Copy(UnitPath, Path.Combine(root, "etc/systemd/system/lrdoctor.service"));
        Assert.Equal(0, Run("cp", "-r", "/usr/lib/systemd/system", Path.Combine(root, "usr/lib/systemd/")).ExitCode);
        try
        {
            var (exitCode, stdout, stderr) = Run("systemd-analyze", "verify", "--root=" + root, "lrdoctor.service");

            Assert.True(exitCode == 0 && stderr.Length == 0, $"exit {exitCode}: {stdout}{stderr}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Unit_Settings_AreNotifyRestartOnFailureAndHardened()
    {
        var lines = File.ReadAllLines(UnitPath).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("Type=notify", lines);
        Assert.Contains("Restart=on-failure", lines);
        Assert.Contains("User=lrdoctor", lines);
        Assert.Contains("NoNewPrivileges=yes", lines);
        Assert.Contains("ProtectSystem=strict", lines);
        Assert.Contains("ReadWritePaths=/var/lib/lrdoctor", lines);
        Assert.Contains("WorkingDirectory=/var/lib/lrdoctor", lines);
    }

    [Fact]
    [Trait(TestTier.Name, TestTier.Full)] // systemd-analyze (apt: systemd)
    public void Unit_SystemdAnalyzeSecurity_RatesExposureLow()
    {
        var (_, stdout, stderr) = Run("systemd-analyze", "security", "--offline=yes", UnitPath);

        var match = Exposure().Match(stdout + stderr);
        Assert.True(match.Success, stdout + stderr);
        double exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= 2.5, $"exposure {exposure}:\n{stdout}");
    }
}

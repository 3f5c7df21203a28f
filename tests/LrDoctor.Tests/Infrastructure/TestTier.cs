namespace LrDoctor.Tests.Infrastructure;

/// <summary>The xunit trait that splits the tests into tiers: <c>dotnet test --filter "Tier!=Full"</c> is the fast tier.</summary>
/// <remarks>
/// A test is <see cref="Full"/> when it needs root, a program from an apt package (Prometheus, Alertmanager,
/// Chromium with ChromeDriver, systemd-analyze, systemd-nspawn with debootstrap, curl) or a container. Everything else
/// (TorchSharp, LiteDB, the daemon and its workers as child processes on loopback ports) runs in the fast tier.
/// </remarks>
public static class TestTier
{
    /// <summary>The trait name.</summary>
    public const string Name = "Tier";

    /// <summary>The trait value of tests that need root, an apt package or a container.</summary>
    public const string Full = "Full";
}

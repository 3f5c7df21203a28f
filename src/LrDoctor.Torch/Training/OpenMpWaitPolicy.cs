using System.Runtime.InteropServices;

namespace LrDoctor.Torch.Training;

/// <summary>Makes libtorch's OpenMP threads sleep instead of spinning while they wait, unless the user chose otherwise.</summary>
/// <remarks>
/// With OpenMP's default spin-wait a small training step collapses when the machine is busy (0.2 s became 7 s for 300 digits
/// steps on a loaded 2-core host). OpenMP reads <c>OMP_WAIT_POLICY</c> once, when libtorch loads, from the native environment,
/// which .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Unix; so it is set with libc's
/// <c>setenv</c> before the first torch call.
/// </remarks>
internal static class OpenMpWaitPolicy
{
    private static int s_applied;

    /// <summary>Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the native environment when it is unset (once; no effect once libtorch has loaded).</summary>
    public static void PreferPassive()
    {
        if (Interlocked.Exchange(ref s_applied, 1) == 1 || OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
        {
            return;
        }

        _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
    }

    // DllImport rather than LibraryImport: the generated stub needs unsafe code, which this project does not otherwise allow.
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}

using System.Globalization;

namespace LrDoctor.Tests.Infrastructure;

/// <summary>Reads the process tree from /proc (Linux): the daemon's worker processes are its children.</summary>
public static class ProcessTree
{
    /// <summary>Gets the ids of the live child processes of <paramref name="parent"/>.</summary>
    public static IReadOnlyList<int> Children(int parent)
    {
        var children = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                // stat: "pid (comm) state ppid ..."; comm may hold spaces, so parse after the last ')'.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours
            }
        }

        return children;
    }

    /// <summary>Sends SIGKILL to a process.</summary>
    public static void Kill9(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
    }
}

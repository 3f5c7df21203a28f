namespace LrDoctor.Core.Schedules;

/// <summary>The amplitude policy of a cyclic schedule (PyTorch's CyclicLR <c>mode</c>).</summary>
internal enum CyclicMode
{
    /// <summary>Constant amplitude.</summary>
    Triangular,

    /// <summary>The amplitude halves every cycle.</summary>
    Triangular2,

    /// <summary>The amplitude scales by gamma^step.</summary>
    ExpRange,
}

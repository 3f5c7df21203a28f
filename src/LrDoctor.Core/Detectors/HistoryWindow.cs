namespace LrDoctor.Core.Detectors;

/// <summary>The recent window of a <see cref="LossHistory"/> against the rest of the run (block means of the log-loss).</summary>
/// <param name="Split">The first block of the window.</param>
/// <param name="EarlierMin">The lowest block mean before the window.</param>
/// <param name="RecentMin">The lowest block mean in the window.</param>
/// <param name="RecentMax">The highest block mean in the window.</param>
/// <param name="RecentMean">The mean of the block means in the window.</param>
/// <param name="PreviousMean">The mean of the block means in the window of the same size before it.</param>
/// <param name="Stalled">Whether the window failed to improve on the one before by the required margin.</param>
internal readonly record struct HistoryWindow(
    int Split,
    double EarlierMin,
    double RecentMin,
    double RecentMax,
    double RecentMean,
    double PreviousMean,
    bool Stalled);

namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's CosineAnnealingWarmRestarts (SGDR): cosine cycles of length t0, t0·tMult, t0·tMult², ...</summary>
/// <param name="baseLr">The LR at the start of each cycle.</param>
/// <param name="t0">The length of the first cycle.</param>
/// <param name="tMult">The growth factor of the cycle length.</param>
/// <param name="etaMin">The LR at the end of each cycle.</param>
internal sealed class CosineRestartsSchedule(double baseLr, long t0, long tMult, double etaMin) : ILrSchedule
{
    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        (long tCur, long tI) = Position(step);
        return etaMin + ((baseLr - etaMin) * (1 + Math.Cos(Math.PI * tCur / tI)) / 2);
    }

    /// <summary>Gets the step within the current cycle and the cycle's length, as PyTorch's T_cur and T_i.</summary>
    internal (long TCur, long TI) Position(long step)
    {
        if (tMult == 1)
        {
            return (step % t0, t0);
        }

        long start = 0;
        long length = t0;
        while (step - start >= length)
        {
            start += length;
            length = length > long.MaxValue / tMult ? long.MaxValue : length * tMult;
        }

        return (step - start, length);
    }
}

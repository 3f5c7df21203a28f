using System.Globalization;
using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Interventions;

/// <summary>The short LR range test a blow-up rollback runs from the restored snapshot to choose the LR the run resumes at.</summary>
/// <remarks>
/// <para>
/// A fixed cut lands wherever the factor puts it. A run that blew up at 30x its good LR resumes at 3x its good LR after a
/// 10x cut: stable, so nothing blows up again, but too noisy to end well, and no later signal tells 3x from 2x within a
/// short run. When the rollback goes back to the untrained state (the LR was wrong from the start, the usual case for a
/// far too high LR), the doctor asks that state directly, as an LR range test would before training: an exponential ramp
/// from the blown-up LR / 1,000 to the blown-up LR over <see cref="Batches"/> batches (fastai's density, 100 batches over
/// 8 decades), after which the snapshot is restored exactly and the data position and RNG are put back.
/// </para>
/// <para>
/// From a partly trained snapshot the test is not run: there the loss keeps falling at tiny LRs and the curve's
/// suggestions land far too low (measured on digits under cosine: a snapshot at step 50 recommended under 1/100 of the
/// blown-up LR), so the plain cut is the better guess. Nor after a critical spike, whose gentle cut says the LR is
/// close to right.
/// </para>
/// <para>
/// The run resumes at the lower of the cut LR and the test's recommendation: the cut stays the ceiling, so the test can
/// only lower the LR, and by at most one more cut (a noisy curve cannot send the run crawling). When the curve shows no
/// clear descent, as from a converged snapshot, the plain cut stands. The LR where the test's loss rose is a known
/// unstable LR for later raises.
/// </para>
/// </remarks>
public static class RollbackRangeTest
{
    /// <summary>The decades the ramp spans below the blown-up LR.</summary>
    public const int Decades = 3;

    /// <summary>The batches of the ramp: 12.5 per decade, the density of fastai's 100 batches from 1e-7 to 10.</summary>
    public const int Batches = 38;

    /// <summary>Gets the range-test options for a run that blew up at <paramref name="blownUpLr"/>.</summary>
    /// <param name="blownUpLr">The headline LR in force at the blow-up.</param>
    /// <returns>The options: 3 decades up to the blown-up LR, <see cref="Batches"/> batches, the finder's defaults otherwise.</returns>
    public static LrFinderOptions Options(double blownUpLr)
    {
        if (!(blownUpLr > 0) || !double.IsFinite(blownUpLr))
        {
            throw new ArgumentOutOfRangeException(nameof(blownUpLr), blownUpLr, "must be a positive finite learning rate");
        }

        return new LrFinderOptions { MinLr = RampStart(blownUpLr), MaxLr = blownUpLr, Steps = Batches };
    }

    /// <summary>Chooses the LR the run resumes at from the cut and the range test's result.</summary>
    /// <param name="blownUpLr">The headline LR in force at the blow-up.</param>
    /// <param name="cut">The cut factor the policy decided (0 &lt; cut &lt; 1).</param>
    /// <param name="result">The range test from the restored snapshot.</param>
    /// <returns>The headline LR to resume at, and why (for the intervention's reason).</returns>
    public static (double Lr, string Why) Choose(double blownUpLr, double cut, LrFinderResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double cutLr = blownUpLr * cut;
        string test = $"an LR range test from the restored snapshot ({result.Points.Count} batches, {Format(RampStart(blownUpLr))} to {Format(blownUpLr)})";
        if (result.Recommended is not double recommended || !double.IsFinite(recommended) || recommended <= 0)
        {
            return (cutLr, $"{test} found no clear descent, so the cut LR {Format(cutLr)} stands");
        }

        if (recommended >= cutLr)
        {
            return (cutLr, $"{test} recommends {Format(recommended)}, not below the cut LR {Format(cutLr)}, which stands");
        }

        double floor = cutLr * cut;
        if (recommended < floor)
        {
            return (floor, $"{test} recommends {Format(recommended)}; resumes at {Format(floor)}, the cut LR {Format(cutLr)} cut once more, the most the test may lower it");
        }

        return (recommended, $"{test} recommends {Format(recommended)} ({result.RecommendedRule}); resumes there instead of the cut LR {Format(cutLr)}");
    }

    private static double RampStart(double blownUpLr) => blownUpLr / Math.Pow(10, Decades);

    private static string Format(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}

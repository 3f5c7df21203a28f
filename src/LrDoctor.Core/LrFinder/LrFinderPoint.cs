namespace LrDoctor.Core.LrFinder;

/// <summary>One batch of an LR range test.</summary>
/// <param name="Lr">The learning rate of the optimizer step that followed this batch's loss.</param>
/// <param name="Loss">The batch's training loss, measured before that step.</param>
/// <param name="SmoothedLoss">The bias-corrected exponential moving average of the losses so far.</param>
public sealed record LrFinderPoint(double Lr, double Loss, double SmoothedLoss);

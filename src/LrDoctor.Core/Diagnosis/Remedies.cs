namespace LrDoctor.Core.Diagnosis;

/// <summary>The symptom → cause → action table of LrDoctor, one entry per situation a detector can tell apart.</summary>
/// <remarks>
/// Written from the practice summarised in the project's reference texts: an LR far too high makes the loss overflow,
/// one a little too high makes it jump or bounce, one too low makes it crawl, and a constant LR eventually stops the
/// loss from settling; overfitting is a matter of regularisation more than of the LR.
/// </remarks>
public static class Remedies
{
    /// <summary>Gets the remedy for a non-finite loss or gradient.</summary>
    public static Remedy NonFinite { get; } = new(
        "The learning rate is far too high: the updates overshoot so badly that the numbers overflow.",
        "Roll back to the last good checkpoint and cut the LR 10-100x; if there is a warmup, make it longer.");

    /// <summary>Gets the remedy for a loss that ran far above its best level.</summary>
    public static Remedy BlowUp { get; } = new(
        "The learning rate is far too high: within a few steps the loss ran away from the best level it had reached.",
        "Roll back to a checkpoint from before the onset and cut the LR at least 10x.");

    /// <summary>Gets the remedy for a sudden jump of the loss.</summary>
    public static Remedy Spike { get; } = new(
        "The learning rate is slightly too high (or a batch was bad): one update threw the loss well above its recent level.",
        "Roll back to before the spike and cut the LR 2-3x; gradient clipping keeps single bad batches from doing this.");

    /// <summary>Gets the remedy for a loss that bounces without progress.</summary>
    public static Remedy Oscillation { get; } = new(
        "The learning rate is too high: each update overshoots and the next overcorrects, so the loss bounces instead of falling.",
        "Cut the LR 2-5x and consider gradient clipping; with a small batch, a larger one also calms the bouncing.");

    /// <summary>Gets the remedy for a loss that stopped improving under an LR that was never decayed.</summary>
    public static Remedy Plateau { get; } = new(
        "The learning rate suited early training but is too high for the loss to settle into the minimum it has found.",
        "Decay the LR: a 10x step now, or a step/cosine schedule (reduce-on-plateau does this by itself).");

    /// <summary>Gets the remedy for a steady but very slow decrease.</summary>
    public static Remedy TooSlow { get; } = new(
        "The learning rate is too low: the loss falls steadily, but at the same slow pace since the start instead of fast then slower.",
        "Raise the LR 3-10x (an LR range test shows how far is safe); check that no schedule decays it twice.");

    /// <summary>Gets the remedy for a loss that has barely moved since the start.</summary>
    public static Remedy Flat { get; } = new(
        "The learning rate is far too low, or training is stuck: the loss has barely moved from where it started.",
        "Raise the LR 10x; if the loss still does not move, check that every layer gets gradients (dead ReLUs, frozen weights).");

    /// <summary>Gets the remedy for a validation loss that rises while the training loss falls.</summary>
    public static Remedy Overfitting { get; } = new(
        "Overfitting: the model keeps fitting its training data while doing worse on unseen data; the LR is not the main cause.",
        "Regularise (weight decay, dropout, augmentation or more data) and keep the checkpoint of the best validation loss; a lower LR late in training can help.");
}

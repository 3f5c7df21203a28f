namespace LrDoctor.Core.LrFinder;

/// <summary>How the LR range test ramps the learning rate from its minimum to its maximum.</summary>
public enum LrRampMode
{
    /// <summary>Geometric steps: the same factor between consecutive batches (Smith 2017, fastai); spans many decades evenly.</summary>
    Exponential,

    /// <summary>Equal additive steps (Smith's original form); resolves a narrow range in detail.</summary>
    Linear,
}

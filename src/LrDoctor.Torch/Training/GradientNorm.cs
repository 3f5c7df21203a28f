using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Training;

/// <summary>The total L2 norm of the gradients, computed without modifying them.</summary>
internal static class GradientNorm
{
    /// <summary>Computes sqrt(sum of squared gradient entries) over <paramref name="parameters"/>; non-finite when any gradient is.</summary>
    /// <remarks>Per-parameter norms stacked into one tensor and normed again: one host synchronisation, no copy of the gradients.</remarks>
    public static double Total(IReadOnlyList<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var norms = new List<Tensor>(parameters.Count);
        foreach (var p in parameters)
        {
            if (p.grad is { } g)
            {
                norms.Add(linalg.vector_norm(g));
            }
        }

        return norms.Count == 0 ? 0.0 : linalg.vector_norm(stack(norms)).item<float>();
    }
}

namespace LrDoctor.Core.Tests.Schedules;

/// <summary>One reference sequence: a spec, a base LR and the LR (and momentum) PyTorch or Hugging Face gives at every step.</summary>
internal sealed record ReferenceCase(string Name, string SpecJson, double BaseLr, double[] Lr, double[]? Momentum);

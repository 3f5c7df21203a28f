namespace LrDoctor.Core.Preflight;

/// <summary>One piece of advice about a job before its first step; it never blocks the run.</summary>
/// <param name="Code">A stable identifier: <c>lr_high_for_optimizer</c>, <c>lr_low_for_optimizer</c>, <c>batch_changed_lr_not_scaled</c>, <c>transformer_no_warmup</c>, <c>adam_weight_decay</c>.</param>
/// <param name="Reason">The advice, with the numbers that triggered it.</param>
public sealed record PreflightAdvice(string Code, string Reason);

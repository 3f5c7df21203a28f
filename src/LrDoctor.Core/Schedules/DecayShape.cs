namespace LrDoctor.Core.Schedules;

/// <summary>The shape of a warmup-stable-decay schedule's warmup or decay (Hugging Face's <c>warmup_type</c> / <c>decay_type</c>).</summary>
internal enum DecayShape
{
    /// <summary>A straight line.</summary>
    Linear,

    /// <summary>A half cosine.</summary>
    Cosine,

    /// <summary>1 - sqrt(progress) (Hägele et al.).</summary>
    OneMinusSqrt,
}

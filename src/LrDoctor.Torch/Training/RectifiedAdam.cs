using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Training;

/// <summary>RAdam with PyTorch's update rule: TorchSharp 0.107's <c>RAdam.step</c> multiplies the rectified update by the LR twice.</summary>
/// <remarks>
/// With the bug the effective LR is lr² once the variance is tractable (after about 5 steps), so an RAdam job at 3e-3 barely
/// moves. This subclass keeps TorchSharp's state and options (so checkpoints and parameter groups work unchanged) and
/// replaces only the step with torch.optim.RAdam's.
/// </remarks>
internal sealed class RectifiedAdam : RAdam
{
    /// <summary>Initializes a new instance of the <see cref="RectifiedAdam"/> class.</summary>
    public RectifiedAdam(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay)
    {
    }

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(
        group =>
        {
            var options = group.Options;
            double beta1 = options.beta1!.Value;
            double beta2 = options.beta2!.Value;
            double eps = options.eps!.Value;
            double weightDecay = options.weight_decay!.Value;
            double lr = options.LearningRate!.Value;
            foreach (var param in group.Parameters)
            {
                var grad = param.grad;
                if (grad is null)
                {
                    continue;
                }

                var state = (State)_state[param.Handle];
                state.step++;
                double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                if (weightDecay != 0)
                {
                    grad = grad.add(param, alpha: weightDecay);
                }

                state.exp_avg.mul_(beta1).add_(grad, alpha: 1 - beta1);
                state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
                var correctedAverage = state.exp_avg / biasCorrection1;
                double rhoInf = (2 / (1 - beta2)) - 1;
                double rhoT = rhoInf - (2 * state.step * Math.Pow(beta2, state.step) / biasCorrection2);
                if (rhoT > 5)
                {
                    double rect = Math.Sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                    var adaptive = state.exp_avg_sq.sqrt().add_(eps).reciprocal_().mul_(Math.Sqrt(biasCorrection2));
                    param.add_(correctedAverage.mul_(adaptive), alpha: -lr * rect);
                }
                else
                {
                    param.add_(correctedAverage, alpha: -lr);
                }
            }
        },
        closure);
}

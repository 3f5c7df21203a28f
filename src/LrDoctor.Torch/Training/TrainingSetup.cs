using LrDoctor.Core;
using LrDoctor.Core.Jobs;
using LrDoctor.Torch.Data;
using LrDoctor.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Training;

/// <summary>Everything a job trains with, built from its <see cref="JobSpec"/>: model, optimizer with parameter groups, data, batch order, loss and evaluation.</summary>
/// <remarks>
/// Shared by the training loop and the LR range test so both build exactly the same model, optimizer and data from a job.
/// Construction seeds libtorch with the job's seed, so two setups of one job start from identical weights.
/// </remarks>
internal sealed class TrainingSetup : IDisposable
{
    private const int EvalChunk = 512;
    private readonly Parameter[] _parameters;

    private TrainingSetup(JobSpec job, TrainingData data, LayeredModel model, IReadOnlyList<ParameterGroupPlan> groups, OptimizerHelper optimizer, Device device)
    {
        Job = job;
        Data = data;
        Model = model;
        Groups = groups;
        Optimizer = optimizer;
        Device = device;
        _parameters = [.. groups.SelectMany(g => g.Parameters)];
        Batches = new BatchOrder(data.TrainCount, job.BatchSize, job.Seed);
        TotalSteps = job.Steps ?? (job.Epochs!.Value * Batches.BatchesPerEpoch);
    }

    /// <summary>Gets the job.</summary>
    public JobSpec Job { get; }

    /// <summary>Gets the data.</summary>
    public TrainingData Data { get; }

    /// <summary>Gets the model.</summary>
    public LayeredModel Model { get; }

    /// <summary>Gets the parameter groups, in the optimizer's order.</summary>
    public IReadOnlyList<ParameterGroupPlan> Groups { get; }

    /// <summary>Gets the optimizer.</summary>
    public OptimizerHelper Optimizer { get; }

    /// <summary>Gets the device the model lives on.</summary>
    public Device Device { get; }

    /// <summary>Gets the batch order.</summary>
    public BatchOrder Batches { get; }

    /// <summary>Gets the number of optimizer steps of the job (its <c>steps</c>, or <c>epochs</c> x batches per epoch).</summary>
    public long TotalSteps { get; }

    /// <summary>Gets every trained parameter, in group order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Gets whether accuracy is measured (classification and character prediction).</summary>
    public bool HasAccuracy => Data.Task != TaskKind.Regression;

    /// <summary>Builds the setup of a job.</summary>
    /// <param name="job">The job.</param>
    /// <param name="jobDirectory">The job file's folder, for relative data paths.</param>
    /// <returns>The setup; dispose it.</returns>
    /// <exception cref="SpecException">A field that cannot be honoured (missing file, bad data, unavailable device, model/data mismatch).</exception>
    public static TrainingSetup Create(JobSpec job, string? jobDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        OpenMpWaitPolicy.PreferPassive();
        var device = ResolveDevice(job.Device);
        var data = TrainingDataFactory.Create(job, jobDirectory);
        try
        {
            manual_seed(job.Seed);
            var model = CreateModel(job.Model, data);
            model.to(device);
            var groups = ParameterGrouping.Plan(model, job.Optimizer);
            var optimizer = OptimizerFactory.Create(job.Optimizer, groups, job.ScaledLr);
            return new TrainingSetup(job, data, model, groups, optimizer, device);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Sets every group's LR to <paramref name="headlineLr"/> times its multiplier.</summary>
    /// <param name="headlineLr">The LR of group 0 before its multiplier.</param>
    public void SetLearningRate(double headlineLr)
    {
        int i = 0;
        foreach (var group in Optimizer.ParamGroups)
        {
            group.LearningRate = headlineLr * Groups[i].LrMultiplier;
            i++;
        }
    }

    /// <summary>Gets the LR every group will use at its next step, read back from the optimizer.</summary>
    public double[] GroupLearningRates() => [.. Optimizer.ParamGroups.Select(g => g.LearningRate)];

    /// <summary>Sets the momentum (SGD/RMSprop momentum or Adam beta1) of every group, for schedules that cycle it.</summary>
    public void SetMomentum(double momentum)
    {
        foreach (var group in Optimizer.ParamGroups)
        {
            switch (group)
            {
                case optim.IMomentum m:
                    m.Momentum = momentum;
                    break;
                case optim.IBetas b:
                    b.Betas = (momentum, b.Betas.Item2);
                    break;
            }
        }
    }

    /// <summary>Gets the momentum of the first group (SGD/RMSprop momentum or Adam beta1), when the optimizer has one.</summary>
    public double? Momentum() => Optimizer.ParamGroups.FirstOrDefault() switch
    {
        optim.IMomentum m => m.Momentum,
        optim.IBetas b => b.Betas.Item1,
        _ => null,
    };

    /// <summary>Computes the loss of one training batch (call inside a dispose scope).</summary>
    /// <param name="indices">The example indices.</param>
    /// <returns>The scalar loss, with its graph.</returns>
    public Tensor BatchLoss(long[] indices)
    {
        using var index = tensor(indices);
        var (x, y) = Data.TrainBatch(index);
        return Loss(Model.forward(x.to(Device)), y.to(Device));
    }

    /// <summary>Computes the loss of an output against its targets.</summary>
    public Tensor Loss(Tensor output, Tensor target) => Data.Task switch
    {
        TaskKind.Regression => nn.functional.mse_loss(output, target),
        TaskKind.Language => nn.functional.cross_entropy(output.reshape(-1, output.shape[^1]), target.reshape(-1)),
        _ => nn.functional.cross_entropy(output, target),
    };

    /// <summary>Evaluates the model on the validation examples (no gradient, evaluation mode).</summary>
    /// <returns>The mean loss and the accuracy (for classification), or nulls when there is no validation data.</returns>
    public (double? Loss, double? Accuracy) Evaluate()
    {
        if (Data.ValCount == 0)
        {
            return (null, null);
        }

        Model.eval();
        try
        {
            using var noGrad = no_grad();
            double lossSum = 0;
            double correct = 0;
            double targets = 0;
            for (long start = 0; start < Data.ValCount; start += EvalChunk)
            {
                using var scope = NewDisposeScope();
                var (x, y) = Data.ValBatch(start, EvalChunk);
                var output = Model.forward(x.to(Device));
                var target = y.to(Device);
                long n = x.shape[0];
                lossSum += Loss(output, target).item<float>() * n;
                if (HasAccuracy)
                {
                    correct += output.argmax(-1).eq(target).sum().item<long>();
                    targets += target.numel();
                }
            }

            return (lossSum / Data.ValCount, HasAccuracy ? correct / targets : null);
        }
        finally
        {
            Model.train();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
        Data.Dispose();
    }

    private static Device ResolveDevice(string device)
    {
        if (device == "cuda" && !cuda.is_available())
        {
            throw new SpecException("device", "'cuda' needs a CUDA build of TorchSharp (package libtorch-cuda-*) and a GPU; this build has CPU only, use \"cpu\"");
        }

        return device == "cuda" ? CUDA : CPU;
    }

    private static LayeredModel CreateModel(ModelSpec spec, TrainingData data)
    {
        switch (spec.Type)
        {
            case ModelSpec.Mlp:
                RequireTabular(spec, data);
                return new MlpModel(data.Inputs, spec.Layers, data.Outputs, spec.Activation, spec.Dropout);
            case ModelSpec.Cnn:
                RequireTabular(spec, data);
                if (data.Inputs != 64)
                {
                    throw new SpecException("model.type", $"'cnn' takes 8x8 images (64 features); the data has {data.Inputs} features");
                }

                return new CnnModel(spec.Channels, data.Outputs, spec.Activation, spec.Dropout);
            case ModelSpec.CharTransformer:
                if (data.Task != TaskKind.Language)
                {
                    throw new SpecException("model.type", "'char_transformer' needs data of type 'text'");
                }

                return new CharTransformerModel(data.Inputs, spec.Context, spec.DModel, spec.Heads, spec.Blocks, spec.Dropout);
            default:
                throw new SpecException("model.type", $"unknown value '{spec.Type}'; allowed: {string.Join(", ", ModelSpec.Types)}");
        }
    }

    private static void RequireTabular(ModelSpec spec, TrainingData data)
    {
        if (data.Task == TaskKind.Language)
        {
            throw new SpecException("model.type", $"'{spec.Type}' needs tabular data (digits, csv, synthetic); text data takes 'char_transformer'");
        }
    }
}

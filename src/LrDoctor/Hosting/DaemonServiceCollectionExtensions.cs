using LrDoctor.Core.Alerts;
using LrDoctor.Core.Runs;
using LrDoctor.Metrics;
using LrDoctor.Storage;
using LrDoctor.Supervision;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace LrDoctor.Hosting;

/// <summary>Registers the daemon's services: options, storage, writer, metrics, the run supervisor.</summary>
internal static class DaemonServiceCollectionExtensions
{
    /// <summary>Adds every service of the daemon.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <param name="jobs">The validated jobs of <c>LrDoctor:Jobs</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLrDoctorDaemon(this IServiceCollection services, IConfiguration configuration, ConfiguredJobs jobs)
    {
        services.AddSection<StorageOptions>(configuration, StorageOptions.Section);
        services.AddSection<SupervisorOptions>(configuration, SupervisorOptions.Section);
        services.AddSection<AuthOptions>(configuration, AuthOptions.Section);
        services.AddSection<ApiOptions>(configuration, ApiOptions.Section);
        services.AddSection<MetricsOptions>(configuration, MetricsOptions.Section);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Prometheus.Metrics.DefaultRegistry);
        services.TryAddSingleton<IMetricFactory>(sp => Prometheus.Metrics.WithCustomRegistry(sp.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton(sp => new LrDoctorMetrics(sp.GetRequiredService<IMetricFactory>()));

        services.AddSingleton(sp => new LiteDbRunStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path));
        services.AddSingleton<IRunStore>(sp => sp.GetRequiredService<LiteDbRunStore>());
        services.AddSingleton<IAlertClaimLog>(sp => sp.GetRequiredService<LiteDbRunStore>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var metrics = sp.GetRequiredService<LrDoctorMetrics>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<StoreWriter>();
            var writer = new StoreWriter(sp.GetRequiredService<IRunStore>(), TimeSpan.FromMilliseconds(options.FlushIntervalMs), options.BatchSize, options.QueueCapacity, timeProvider: sp.GetRequiredService<TimeProvider>());
            writer.Flushed += metrics.OnStepsRecorded;
            writer.FlushFailed += e => logger.LogError(e, "Storage flush failed; retrying");
            sp.GetRequiredService<CollectorRegistry>().AddBeforeCollectCallback(() => metrics.SetStorageQueueDepth(writer.QueueDepth));
            return writer;
        });

        services.AddSingleton(jobs);
        services.AddSingleton(sp => CreateJobValidator(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IOptions<SupervisorOptions>>().Value));
        services.TryAddSingleton<WorkerLauncher>();
        services.AddSingleton<RunSupervisor>();
        services.AddSingleton<IRunControl>(sp => sp.GetRequiredService<RunSupervisor>());
        services.AddHostedService(sp => sp.GetRequiredService<RunSupervisor>());
        services.AddHostedService<StorageRetention>();
        return services;
    }

    /// <summary>Creates the validator that keeps job files inside the data and jobs folders.</summary>
    public static JobValidator CreateJobValidator(StorageOptions storage, SupervisorOptions supervisor)
    {
        string dataDir = Path.GetDirectoryName(Path.GetFullPath(storage.Path)) ?? Directory.GetCurrentDirectory();
        return new JobValidator([dataDir, Path.GetFullPath(supervisor.JobsDirectory)]);
    }

    private static void AddSection<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(section), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
    }
}

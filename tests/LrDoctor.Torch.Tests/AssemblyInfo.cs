// libtorch tests share one native runtime and two cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

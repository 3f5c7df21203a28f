using System.Globalization;
using System.Text.RegularExpressions;
using LrDoctor.Core;
using LrDoctor.Core.Jobs;
using LrDoctor.Torch.Models;
using TorchSharp.Modules;

namespace LrDoctor.Torch.Training;

/// <summary>Splits a model's parameters into groups by name pattern and, with layer decay, by layer (lr_l = lr x gamma^(L-1-l)).</summary>
internal static class ParameterGrouping
{
    /// <summary>Plans the groups; the first group holds the parameters that match no pattern at the top layer (multiplier 1 unless layer decay says otherwise).</summary>
    /// <param name="model">The model.</param>
    /// <param name="spec">The optimizer spec.</param>
    /// <returns>The non-empty groups, headline group first.</returns>
    /// <exception cref="SpecException">A pattern matches no parameter.</exception>
    public static IReadOnlyList<ParameterGroupPlan> Plan(LayeredModel model, OptimizerSpec spec)
    {
        var patterns = spec.ParamGroups.Select(g => new Regex("^" + Regex.Escape(g.Pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant)).ToArray();
        var matched = new bool[patterns.Length];
        var buckets = new SortedDictionary<(int Pattern, int Depth), List<(string Name, Parameter Parameter)>>();
        int top = model.LayerCount - 1;
        var all = model.named_parameters().ToList();
        foreach (var (name, parameter) in all)
        {
            int pattern = Array.FindIndex(patterns, p => p.IsMatch(name));
            if (pattern >= 0)
            {
                matched[pattern] = true;
            }

            int depth = spec.LayerDecay is null ? 0 : top - model.LayerOf(name);
            var key = (pattern + 1, depth);
            if (!buckets.TryGetValue(key, out var list))
            {
                buckets[key] = list = [];
            }

            list.Add((name, parameter));
        }

        for (int i = 0; i < patterns.Length; i++)
        {
            if (!matched[i])
            {
                string names = string.Join(", ", all.Select(p => p.name));
                throw new SpecException($"optimizer.paramGroups[{i}].pattern", $"'{spec.ParamGroups[i].Pattern}' matches no parameter; parameters are: {names}");
            }
        }

        var groups = new List<ParameterGroupPlan>();
        foreach (var ((pattern, depth), members) in buckets)
        {
            var group = pattern == 0 ? null : spec.ParamGroups[pattern - 1];
            double multiplier = (group?.LrMultiplier ?? 1.0) * Math.Pow(spec.LayerDecay ?? 1.0, depth);
            string name = (group?.Pattern ?? "default") + (spec.LayerDecay is null ? "" : string.Create(CultureInfo.InvariantCulture, $"@layer{top - depth}"));
            groups.Add(new ParameterGroupPlan(name, [.. members.Select(m => m.Name)], [.. members.Select(m => m.Parameter)], multiplier, group?.WeightDecay));
        }

        return groups;
    }
}

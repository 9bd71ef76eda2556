#include "plans/plan_layout.hpp"

#include <algorithm>
#include <string>

#include "cost/stage_estimates.hpp"
#include "util/divide.hpp"

namespace hetplan::internal {

namespace {

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

// The record's node sequence must name every device type of the case once: a record from another case (or
// edited by hand) would otherwise put GPUs where there are none.
std::optional<Error> check_shape(const Case& c, const PlanRecord& plan) {
  auto sorted = plan.node_sequence;
  std::sort(sorted.begin(), sorted.end());
  if (sorted != c.cluster.sorted_types()) {
    return Error{"the plan's node sequence does not name each device type of the case once"};
  }
  const std::size_t stages = plan.device_groups.size();
  if (stages == 0 || plan.strategies.size() != stages || plan.layer_partition.size() != stages + 1) {
    return Error{"the plan's device groups, strategies and layer partition do not agree in length"};
  }
  int gpus = 0;
  for (std::size_t s = 0; s < stages; ++s) {
    const int g = plan.device_groups[s];
    const auto [dp, tp] = plan.strategies[s];
    if (g < 1 || dp < 1 || tp < 1 || dp * tp != g) {
      return Error{"stage " + std::to_string(s + 1) + " of the plan: dp x tp is not its GPU count"};
    }
    gpus += g;
  }
  if (gpus != c.cluster.total_gpus()) return Error{"the plan's device groups do not cover the cluster"};
  if (plan.batches < 1 || plan.batches > c.bounds.gbs) {
    return Error{"the plan's micro-batch count is not between 1 and the global batch size"};
  }
  return std::nullopt;
}

}  // namespace

Outcome<PlanLayout> lay_out_plan(const Case& c, const PlanRecord& plan, NodeSizes sizes) {
  if (auto bad = check_shape(c, plan)) return *bad;
  PlanLayout out;
  out.tables = std::make_unique<CaseTables>(c);
  out.order = std::make_unique<NodeOrderTables>(*out.tables, plan.node_sequence, sizes);
  out.per_batch = c.bounds.gbs / plan.batches;
  const auto& ranks = out.order->rank_type;
  MissingLog log;  // a missing entry leaves the split empty; the caller says so
  std::vector<double> speed;
  SplitScratch scratch;
  int start = 0;
  for (std::size_t s = 0; s < plan.device_groups.size(); ++s) {
    StagePlacement p;
    p.first_rank = start;
    p.gpus = plan.device_groups[s];
    std::tie(p.dp, p.tp) = plan.strategies[s];
    p.first_layer = plan.layer_partition[s];
    p.end_layer = plan.layer_partition[s + 1];
    p.micro_batch = divide(out.per_batch, p.dp);
    for (int r = start; r < start + p.gpus; ++r) {
      const int type = ranks[at(r)];
      if (!p.types.empty() && p.types.back().first == type) {
        ++p.types.back().second;
      } else {
        p.types.emplace_back(type, 1);
      }
    }
    const int group = p.gpus / p.dp;
    for (int d = 0; d < p.dp; ++d) p.group_type.push_back(ranks[at(start + (d * group))]);
    if (!p.mixed()) {
      p.group_samples.assign(at(p.dp), p.micro_batch);
    } else if (!split_stage_batch(*out.tables, ranks.data() + start, at(p.gpus), p.dp, p.tp, out.per_batch,
                                  log, speed, scratch, p.group_samples)) {
      p.group_samples.clear();
    }
    out.stages.push_back(std::move(p));
    start += plan.device_groups[s];
  }
  return out;
}

}  // namespace hetplan::internal

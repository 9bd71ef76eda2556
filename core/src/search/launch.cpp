#include "hetplan/launch.hpp"

#include <algorithm>
#include <cstddef>
#include <numeric>

#include "hetplan/search.hpp"

namespace hetplan {

namespace {

// Per rank of the node order: the index of its node, and its type.
struct RankMap {
  std::vector<int> node;
  std::vector<std::string> type;
};

RankMap ranks_of(const Case& c, const std::vector<std::string>& node_sequence) {
  RankMap m;
  int node = 0;
  for (const auto& type : node_sequence) {
    for (std::size_t h = 0; h < c.cluster.hosts.size(); ++h) {
      if (c.cluster.type_of_host(h) != type) continue;
      for (int g = 0; g < c.cluster.hosts[h].gpus; ++g) {
        m.node.push_back(node);
        m.type.push_back(type);
      }
      ++node;
    }
  }
  return m;
}

std::string stage_text(int stage, int tp) {
  return "stage " + std::to_string(stage) + ": tp " + std::to_string(tp);
}

// The widest reach of the stage's tensor-parallel groups [first + g * tp, first + (g + 1) * tp): the most
// nodes one group spans, and the types of the first group that mixes them.
void check_groups(const RankMap& m, int stage, int first, int gpus, int tp, std::vector<LaunchWarning>& out) {
  int most_nodes = 1;
  std::vector<std::string> mixed;
  for (int start = first; start + tp <= first + gpus; start += tp) {
    const auto b = static_cast<std::size_t>(start);
    const std::size_t e = b + static_cast<std::size_t>(tp);
    most_nodes = std::max(most_nodes, m.node[e - 1] - m.node[b] + 1);
    if (!mixed.empty()) continue;
    std::vector<std::string> types;
    for (std::size_t r = b; r < e; ++r) {
      if (std::find(types.begin(), types.end(), m.type[r]) == types.end()) types.push_back(m.type[r]);
    }
    if (types.size() > 1) mixed = std::move(types);
  }
  if (most_nodes > 1) {
    out.push_back({LaunchIssue::kTpAcrossNodes, stage,
                   stage_text(stage, tp) + " spans " + std::to_string(most_nodes) +
                       " nodes; tensor parallelism needs the fast links within a node"});
  }
  if (!mixed.empty()) {
    std::string names;
    for (std::size_t i = 0; i < mixed.size(); ++i) names += (i > 0 ? ", " : "") + mixed[i];
    out.push_back({LaunchIssue::kTpAcrossTypes, stage,
                   stage_text(stage, tp) + " mixes GPU types (" + names + ") in one tensor-parallel group"});
  }
}

}  // namespace

const char* to_string(LaunchIssue issue) {
  switch (issue) {
    case LaunchIssue::kTpAcrossNodes:
      return "tp_across_nodes";
    case LaunchIssue::kTpAcrossTypes:
      return "tp_across_types";
    case LaunchIssue::kTpOverHeads:
      return "tp_over_heads";
    case LaunchIssue::kTpSplitsHeads:
      return "tp_splits_heads";
  }
  return "tp_across_nodes";
}

std::vector<LaunchWarning> launch_warnings(const Case& c, const PlanRecord& plan) {
  std::vector<LaunchWarning> out;
  const RankMap m = ranks_of(c, plan.node_sequence);
  const int total = std::accumulate(plan.device_groups.begin(), plan.device_groups.end(), 0);
  const auto bad_degree = [](const std::pair<int, int>& s) { return s.first < 1 || s.second < 1; };
  if (total != static_cast<int>(m.node.size()) || plan.strategies.size() > plan.device_groups.size() ||
      std::any_of(plan.device_groups.begin(), plan.device_groups.end(), [](int g) { return g < 0; }) ||
      std::any_of(plan.strategies.begin(), plan.strategies.end(), bad_degree)) {
    return out;
  }
  const int heads = c.model.attention_heads;
  int first = 0;
  for (std::size_t s = 0; s < plan.strategies.size(); ++s) {
    const int stage = static_cast<int>(s) + 1;
    const int gpus = plan.device_groups[s];
    const int tp = plan.strategies[s].second;
    if (tp > 1 && tp <= gpus) check_groups(m, stage, first, gpus, tp, out);
    if (heads > 0 && tp > heads) {
      out.push_back(
          {LaunchIssue::kTpOverHeads, stage,
           stage_text(stage, tp) + " is more than the " + std::to_string(heads) + " attention heads"});
    } else if (heads > 0 && heads % tp != 0) {
      out.push_back(
          {LaunchIssue::kTpSplitsHeads, stage,
           stage_text(stage, tp) + " does not divide the " + std::to_string(heads) + " attention heads"});
    }
    first += gpus;
  }
  return out;
}

}  // namespace hetplan

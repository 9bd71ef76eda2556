#include "hetplan/internal/inter_stage.hpp"

#include <algorithm>

#include "hetplan/internal/device_groups.hpp"

namespace hetplan::internal {

InterStageSpace::InterStageSpace(const std::vector<std::string>& types, int num_gpus, int num_layers, int gbs,
                                 double variance, int max_permute_len) {
  // Node orders: permutations of the name-sorted types in lexicographic order (the pinned order).
  std::vector<std::string> order = types;
  std::sort(order.begin(), order.end());
  if (!order.empty()) {
    do {
      node_orders_.push_back(order);
    } while (std::next_permutation(order.begin(), order.end()));
  }
  for (int b = gbs; b >= 1; --b) {
    if (gbs % b == 0) batches_.push_back(b);
  }
  const int limit = std::min(num_gpus, num_layers);
  auto load = [&](int s) -> const std::vector<std::vector<int>>& {
    auto it = groups_.find(s);
    if (it == groups_.end()) {
      it = groups_.emplace(s, device_groups_for_stages(s, num_gpus, variance, max_permute_len)).first;
    }
    return it->second;
  };
  auto add = [&](int node_order, int label, int stage_count) {
    InterStageBlock b{node_order, label, stage_count, total_};
    blocks_.push_back(b);
    total_ += block_size(b);
  };
  for (int ns = 0; ns < static_cast<int>(node_orders_.size()); ++ns) {
    if (ns == 0) {
      if (!load(1).empty()) add(ns, 1, 1);
    } else {
      // The reference moves to the next node order with the label reset to one stage but the device groups of
      // the next non-empty stage count loaded (searched up to one past the limit).
      int s = 2;
      while (load(s).empty() && s <= limit) ++s;
      if (!load(s).empty()) add(ns, 1, s);
    }
    for (int s = 2; s <= limit; ++s) {
      if (!load(s).empty()) add(ns, s, s);
    }
  }
}

const std::vector<std::vector<int>>& InterStageSpace::groups(int stage_count) const {
  return groups_.find(stage_count)->second;
}

std::int64_t InterStageSpace::block_size(const InterStageBlock& b) const {
  return static_cast<std::int64_t>(groups(b.stage_count).size()) * static_cast<std::int64_t>(batches_.size());
}

}  // namespace hetplan::internal

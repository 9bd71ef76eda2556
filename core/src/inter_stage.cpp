#include "hetplan/internal/inter_stage.hpp"

#include <algorithm>

#include "hetplan/internal/device_groups.hpp"

namespace hetplan::internal {

namespace {

// Counting device groups enumerates their stage-size multisets; past this many for one stage count the space
// is taken as too large to search.
constexpr std::size_t kMaxMultisets = 200'000;
// Counting stops past this many plans: beyond it the figure only says "far too many".
constexpr std::int64_t kCountCap = 1'000'000'000'000;

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  return b > INT64_MAX - a ? INT64_MAX : a + b;
}
std::int64_t saturating_mul(std::int64_t a, std::int64_t b) {
  return a != 0 && b > INT64_MAX / a ? INT64_MAX : a * b;
}

}  // namespace

InterStageSpace::InterStageSpace(const std::vector<std::string>& types, int num_gpus, int num_layers, int gbs,
                                 double variance, int max_permute_len, std::int64_t max_plans, bool build) {
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
  // Count first: how many device-group lists each stage count has.
  std::map<int, std::int64_t> lists;
  bool complete = true;
  auto count = [&](int s) {
    auto it = lists.find(s);
    if (it == lists.end()) {
      auto c = count_device_groups_for_stages(s, num_gpus, variance, max_permute_len, kMaxMultisets);
      complete = complete && c.complete;
      it = lists.emplace(s, c.complete ? c.lists : std::max<std::int64_t>(c.lists, 1)).first;
    }
    return it->second;
  };
  std::vector<InterStageBlock> plan;
  const auto options = static_cast<std::int64_t>(batches_.size());
  // Adds a block to the plan and its plans to the estimate; false once counting should stop: past the count
  // cap (enough to say "far too many") or when the multisets of a stage count were too many to count.
  auto add = [&](int ns, int label, int stage_count) {
    plan.push_back({ns, label, stage_count, 0});
    estimate_ = saturating_add(estimate_, saturating_mul(count(stage_count), options));
    return complete && estimate_ <= std::max(max_plans, kCountCap);
  };
  bool within = true;
  for (int ns = 0; within && ns < static_cast<int>(node_orders_.size()); ++ns) {
    if (ns == 0) {
      if (count(1) > 0) within = add(ns, 1, 1);
    } else {
      // The reference moves to the next node order with the label reset to one stage but the device groups of
      // the next non-empty stage count loaded (searched up to one past the limit).
      int s = 2;
      while (count(s) == 0 && s <= limit) ++s;
      if (count(s) > 0) within = add(ns, 1, s);
    }
    for (int s = 2; within && s <= limit; ++s) {
      if (count(s) > 0) within = add(ns, s, s);
    }
  }
  if (!within || estimate_ > max_plans) {
    too_large_ = true;
    return;
  }
  if (!build) return;
  for (auto b : plan) {
    auto it = groups_.find(b.stage_count);
    if (it == groups_.end()) {
      groups_.emplace(b.stage_count,
                      device_groups_for_stages(b.stage_count, num_gpus, variance, max_permute_len));
    }
    b.first_index = total_;
    blocks_.push_back(b);
    total_ += block_size(b);
  }
}

const std::vector<std::vector<int>>& InterStageSpace::groups(int stage_count) const {
  return groups_.find(stage_count)->second;
}

std::int64_t InterStageSpace::block_size(const InterStageBlock& b) const {
  return static_cast<std::int64_t>(groups(b.stage_count).size()) * static_cast<std::int64_t>(batches_.size());
}

}  // namespace hetplan::internal

#include "enumerate/inter_stage.hpp"

#include <algorithm>
#include <cmath>

#include "enumerate/device_groups.hpp"

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
                                 double variance, int max_permute_len, std::int64_t max_plans,
                                 SpaceBuild build)
    : num_gpus_(num_gpus), variance_(variance), max_permute_len_(max_permute_len) {
  // Node orders: permutations of the name-sorted types in lexicographic order (the pinned order).
  std::vector<std::string> order = types;
  std::sort(order.begin(), order.end());
  if (!order.empty()) {
    do {
      node_orders_.push_back(order);
    } while (std::next_permutation(order.begin(), order.end()));
  }
  // A number n has at most 2 sqrt(n) divisors.
  batches_.reserve(static_cast<std::size_t>(2 * std::sqrt(std::max(gbs, 0))) + 1);
  for (int b = gbs; b >= 1; --b) {
    if (gbs % b == 0) batches_.push_back(b);
  }
  const int limit = std::min(num_gpus, num_layers);
  // Stage counts run from 1 to one past the limit, and at least to 2 (see below).
  const auto stage_counts = static_cast<std::size_t>(std::max(limit, 1)) + 2;
  DeviceGroups device_groups(num_gpus, variance, max_permute_len);
  // Count first: how many device-group lists each stage count has (kUncounted until asked).
  constexpr std::int64_t kUncounted = -1;
  std::vector<std::int64_t> lists(stage_counts, kUncounted);
  bool complete = true;
  auto count = [&](int s) {
    std::int64_t& known = lists[static_cast<std::size_t>(s)];
    if (known == kUncounted) {
      auto c = device_groups.count(s, kMaxMultisets);
      complete = complete && c.complete;
      known = c.complete ? c.lists : std::max<std::int64_t>(c.lists, 1);
    }
    return known;
  };
  const auto options = static_cast<std::int64_t>(batches_.size());
  // Adds a block (its first index is set when it is built) and its plans to the estimate; false once counting
  // should stop: past the count cap (enough to say "far too many") or when the multisets of a stage count
  // were too many to count.
  auto add = [&](int ns, int label, int stage_count) {
    blocks_.push_back({ns, label, stage_count, 0});
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
  if (!within || estimate_ > max_plans) too_large_ = true;
  if (too_large_ || build == SpaceBuild::kCount) {
    blocks_.clear();
    return;
  }
  list_counts_ = std::move(lists);
  for (auto& known : list_counts_) known = std::max<std::int64_t>(known, 0);
  for (auto& b : blocks_) {
    b.first_index = total_;
    total_ = saturating_add(total_, saturating_mul(list_count(b.stage_count), options));
  }
}

}  // namespace hetplan::internal

// Inter-stage plans: node order x device groups x number of micro-batches, each with a global index.
//
// The plans come in blocks (one node order, one stage-count label, one list of device-group lists); within a
// block, index = first_index + group_index * batch_options + batch_option. The block sequence reproduces the
// reference's state machine, including its quirk: every node order after the first starts with a block
// labelled one stage whose device groups are those of the next non-empty stage count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "enumerate/device_groups.hpp"

namespace hetplan::internal {

struct InterStageBlock {
  int node_order = 0;   // index into node_orders
  int label = 1;        // the stage-count label (num_stage)
  int stage_count = 1;  // the stage count whose device groups the block uses
  std::int64_t first_index = 0;
};

struct InterStagePlan {
  std::int64_t index = 0;
  int node_order = 0;
  int label = 1;
  // Valid during the call that gets the plan only: the lists are made one at a time (ListCursor), so the
  // next plan's may be the same object with other contents.
  const std::vector<int>* device_groups = nullptr;
  int batches = 1;
};

// How much of the space to make: only its count, or also its blocks with their first indexes and list counts.
// The lists themselves are never held: a search makes them as it goes (ListCursor).
enum class SpaceBuild { kCount, kIndex };

class InterStageSpace {
 public:
  // types: distinct device types of the cluster, sorted by name. Plans are counted before anything is built
  // (up to 10^12); past max_plans the space stays empty and too_large() says so.
  InterStageSpace(const std::vector<std::string>& types, int num_gpus, int num_layers, int gbs,
                  double variance, int max_permute_len, std::int64_t max_plans = INT64_MAX,
                  SpaceBuild build = SpaceBuild::kIndex);

  [[nodiscard]] bool too_large() const { return too_large_; }
  // Number of plans, counted before building them (a lower bound when too_large()).
  [[nodiscard]] std::int64_t estimate() const { return estimate_; }

  [[nodiscard]] const std::vector<std::vector<std::string>>& node_orders() const { return node_orders_; }
  [[nodiscard]] const std::vector<InterStageBlock>& blocks() const { return blocks_; }
  // What makes the device-group lists of this space for for_each and for_each_in_lists: one per searcher.
  [[nodiscard]] ListCursor cursor() const { return {num_gpus_, variance_, max_permute_len_}; }
  // Number of device-group lists of a stage count (SpaceBuild::kIndex).
  [[nodiscard]] std::int64_t list_count(int stage_count) const {
    return list_counts_[static_cast<std::size_t>(stage_count)];
  }
  [[nodiscard]] const std::vector<int>& batch_options() const { return batches_; }
  [[nodiscard]] std::int64_t total() const { return total_; }
  [[nodiscard]] std::int64_t block_size(const InterStageBlock& b) const {
    return list_count(b.stage_count) * static_cast<std::int64_t>(batches_.size());
  }

  // Which shard a plan belongs to. Shards take whole device-group lists (all batch options of one list): the
  // work of a plan grows with its micro-batch count, so splitting by index mod N (the batch option cycles
  // fastest) would give one shard the heavy batch counts; and the per-plan tables a searcher keeps while the
  // device groups stay the same are reused across the batch options.
  [[nodiscard]] int shard_of(std::int64_t index, int shard_count) const {
    return static_cast<int>((index / static_cast<std::int64_t>(batches_.size())) % shard_count);
  }
  // Number of plans shard_index of shard_count will visit.
  [[nodiscard]] std::int64_t shard_size(int shard_index, int shard_count) const {
    const auto nb = static_cast<std::int64_t>(batches_.size());
    if (nb == 0) return 0;
    const std::int64_t lists = total_ / nb;
    return (lists / shard_count + (shard_index < lists % shard_count ? 1 : 0)) * nb;
  }

  // Number of device-group lists (plans / batch options), numbered in index order.
  [[nodiscard]] std::int64_t lists() const {
    return batches_.empty() ? 0 : total_ / static_cast<std::int64_t>(batches_.size());
  }

  // Calls fn(plan) for every plan of the lists numbered [first, last), in index order, the lists made by
  // `made` (from cursor()); false when fn returned false (it stops there).
  template <class Fn>
  bool for_each_in_lists(std::int64_t first, std::int64_t last, ListCursor& made, Fn&& fn) const {
    const auto nb = static_cast<std::int64_t>(batches_.size());
    for (const auto& b : blocks_) {
      const std::int64_t block_first = b.first_index / nb;
      const std::int64_t from = std::max<std::int64_t>(first - block_first, 0);
      const std::int64_t to = std::min<std::int64_t>(last - block_first, list_count(b.stage_count));
      for (std::int64_t g = from; g < to; ++g) {
        if (!for_each_in_list(b, g, made, fn)) return false;
      }
    }
    return true;
  }

  // Calls fn(plan) for every plan of the shard (see shard_of), in index order, the lists made by `made`;
  // stops early when fn returns false.
  template <class Fn>
  void for_each(int shard_index, int shard_count, ListCursor& made, Fn&& fn) const {
    const auto nb = static_cast<std::int64_t>(batches_.size());
    for (const auto& b : blocks_) {
      const std::int64_t lists = list_count(b.stage_count);
      // Blocks start on a list boundary (their sizes are multiples of nb), so a list's shard is its global
      // list number mod shard_count.
      const std::int64_t first_list = b.first_index / nb;
      for (std::int64_t g = (shard_index - first_list % shard_count + shard_count) % shard_count; g < lists;
           g += shard_count) {
        if (!for_each_in_list(b, g, made, fn)) return;
      }
    }
  }

 private:
  // The plans of list g of block b (one per batch option), in index order; false when fn returned false.
  template <class Fn>
  bool for_each_in_list(const InterStageBlock& b, std::int64_t g, ListCursor& made, Fn& fn) const {
    const auto nb = static_cast<std::int64_t>(batches_.size());
    const std::vector<int>& groups = made.at(b.stage_count, g);
    for (std::int64_t k = 0; k < nb; ++k) {
      InterStagePlan p;
      p.index = b.first_index + g * nb + k;
      p.node_order = b.node_order;
      p.label = b.label;
      p.device_groups = &groups;
      p.batches = batches_[static_cast<std::size_t>(k)];
      if (!fn(p)) return false;
    }
    return true;
  }

  std::vector<std::vector<std::string>> node_orders_;
  int num_gpus_;
  double variance_;
  int max_permute_len_;
  std::vector<std::int64_t> list_counts_;  // by stage count
  std::vector<int> batches_;
  std::vector<InterStageBlock> blocks_;
  std::int64_t total_ = 0;
  std::int64_t estimate_ = 0;
  bool too_large_ = false;
};

}  // namespace hetplan::internal

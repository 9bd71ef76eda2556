// The figures the intra-stage search reads for every candidate, per stage of one inter-stage plan: its
// memory, and per DFS level (dp = group >> level, tp = 1 << level) its speed and the profile entries of its
// memory estimate. Each (stage, level) is looked up once per plan, on first use, in the order the search
// asks: the search visits the same entries in the same order as without the cache, so the missing-entry log
// is the same.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "balance/balancers.hpp"
#include "cost/range_sums.hpp"
#include "enumerate/inter_stage.hpp"
#include "input/context.hpp"
#include "util/divide.hpp"
#include "util/flat_map.hpp"

namespace hetplan::internal {

class StageFigures {
 public:
  explicit StageFigures(const CaseTables& t);

  // Starts a plan. Figures that depend only on the node order and the device groups are kept when those
  // repeat (consecutive plans differ only in the number of micro-batches).
  void reset(const NodeOrderTables& n, const InterStagePlan& plan);

  [[nodiscard]] int stages() const { return static_cast<int>(group_.size()); }
  [[nodiscard]] int group(int s) const { return group_[static_cast<std::size_t>(s)]; }
  [[nodiscard]] const std::vector<double>& capacity() const { return capacity_; }
  // Whether the memory estimate's list of GPUs ends before stage s's last GPU (it then has no estimate).
  [[nodiscard]] bool memory_list_short(int s) const {
    return memory_short_[static_cast<std::size_t>(s)] != 0;
  }
  // Whether (dp, tp) of stage s at `level` is within the bounds: 1 <= gbs / dp / batches <= max_bs, tp <=
  // max_tp.
  [[nodiscard]] bool valid(int s, int level) const {
    const SlotInfo& info = info_[slot(s, level)];
    return batches_ >= info.min_batches && batches_ <= info.max_batches;
  }

  // 1 / time of the whole model on stage s at `level` (slowest data-parallel group for mixed types); false
  // when a profile entry is missing. Inline: the search asks for it on every candidate, and it is known after
  // the first time.
  bool speed(int s, int level, double& out, MissingLog& log) {
    const std::size_t i = slot(s, level);
    const PlanIndex& info = plan_info(i);
    // A single-type stage whose entry is in the dense table: one load, the same division.
    if (const ProfileEntry* e = dense_entry(info.speed_index)) {
      out = 1.0 / e->layer_time_sum;
      return true;
    }
    SpeedSlot& slot = speed_[i];
    if (slot.plan != plan_) fill_speed(s, level, slot, log);
    out = slot.value;
    return slot.state == Slot::kReady;
  }

  // The reference's memory estimate of stage s at `level` over layers [a, b): 0.001 plus 5 x the profiled
  // layer memory of each batch slice, added in the reference's order; false when it cannot be estimated.
  bool memory_demand(int s, int level, int a, int b, double& out, MissingLog& log) {
    const std::size_t i = slot(s, level);
    // A single-type estimate whose entry was tabled before, in this plan or an earlier one.
    const std::size_t index = plan_info(i).memory_index;
    if (index != CaseTables::kNotDense) {
      const EntryRangeSums::Table known = memory_sums_.known(index);
      if (known.sums != nullptr) {
        out = tabled_memory(known, a, b);
        return true;
      }
    }
    MemorySlot& slot = memory_[i];
    if (slot.plan != plan_) fill_memory(s, level, slot, log);
    if (slot.state != Slot::kReady) return false;
    out = slot.sums == nullptr ? summed_memory(slot, a, b)
                               : tabled_memory(EntryRangeSums::Table{slot.sums, slot.layers}, a, b);
    return true;
  }

 private:
  // A slot holds the figures of one (stage, level) for the plan whose number is in `plan`; older ones are
  // unknown, so a new plan needs no clearing.
  enum class Slot : std::uint8_t { kUnknown, kReady, kMissing };
  struct SpeedSlot {
    std::uint32_t plan = 0;
    Slot state = Slot::kUnknown;
    double value = 0;
  };
  struct MemorySlot {
    std::uint32_t plan = 0;
    Slot state = Slot::kUnknown;
    // One entry with a slice-sum table (fill_range_sums over `layers` layers); when nullptr the estimate
    // adds, per batch slice in the reference's order, 5 x the layer memory of the entry items_[first_item +
    // i] of the distinct entries distinct_[first_distinct ..].
    const double* sums = nullptr;
    int layers = 0;
    std::uint32_t first_item = 0;
    std::uint32_t item_count = 0;
    std::uint32_t first_distinct = 0;
    std::uint32_t distinct_count = 0;
    bool shared = false;  // the places are in the node order's shared_items_ and shared_distinct_
    // For shared places: their key in mixed_memory_entries_ (dp << 5 | level, batch).
    int dp_level = 0;
    int batch = 0;
  };
  // Four numbers that pick a figure of a mixed stage within one node order.
  struct Key {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    Key() = default;
    Key(int a, int b, int c, int d)
        : high((static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32U) |
               static_cast<std::uint32_t>(b)),
          low((static_cast<std::uint64_t>(static_cast<std::uint32_t>(c)) << 32U) |
              static_cast<std::uint32_t>(d)) {}
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::uint64_t>{}(k.high * 0x9E3779B97F4A7C15ULL ^ k.low);
    }
  };

  // Per (stage, level), set when the device groups change.
  struct SlotInfo {
    int dp = 1;
    // The stage is valid for micro-batch counts in [min_batches, max_batches].
    int min_batches = 1;
    int max_batches = 0;
    // CaseTables::dense_row of the speed's (type, level) for a single-type stage, of the memory estimate's
    // for a single-type estimate; kNotDense otherwise.
    std::size_t speed_row = CaseTables::kNotDense;
    std::size_t memory_row = CaseTables::kNotDense;
  };
  // The dense indices of a slot's speed_row and memory_row entries for the batch size of the plan numbered
  // `plan` (dense_index).
  struct PlanIndex {
    std::uint32_t plan = 0;
    std::size_t speed_index = CaseTables::kNotDense;
    std::size_t memory_index = CaseTables::kNotDense;
  };
  // Worked out on the plan's first ask, as the search asks again and again.
  const PlanIndex& plan_info(std::size_t i) {
    PlanIndex& p = plan_index_[i];
    if (p.plan != plan_) {
      p.plan = plan_;
      p.speed_index = dense_index(info_[i].speed_row, info_[i].dp);
      p.memory_index = dense_index(info_[i].memory_row, info_[i].dp);
    }
    return p;
  }
  [[nodiscard]] std::size_t slot(int s, int level) const {
    return static_cast<std::size_t>(level_base_[static_cast<std::size_t>(s)]) +
           static_cast<std::size_t>(level);
  }
  // Dense index of the entry at row (CaseTables::dense_row) for this plan's batch size at dp, kNotDense
  // when there is none.
  [[nodiscard]] std::size_t dense_index(std::size_t row, int dp) const {
    if (row == CaseTables::kNotDense) return row;
    return t_.dense_at(row, divide(batch_, dp));
  }
  // The entry at a dense index; nullptr when none (missing entries are looked up, and logged, by the slot
  // path).
  [[nodiscard]] const ProfileEntry* dense_entry(std::size_t index) const {
    return index == CaseTables::kNotDense ? nullptr : t_.dense_entry(index);
  }
  // One entry, tabled: 0.001 plus 5 x its slice sum as EntryRangeSums::Table::sum gives it.
  static double tabled_memory(const EntryRangeSums::Table& table, int a, int b) {
    return 0.001 + (table.sum(a, b) * kMemoryCoefficient);
  }
  static constexpr double kMemoryCoefficient = 5.0;  // activations and optimizer state over the layer memory

  [[nodiscard]] SlotInfo slot_info(std::size_t s, int level, int type) const;
  // A stage's figures that depend only on its ranks (its start and GPUs) in the node order.
  struct StageShape {
    char mixed_ranks = 0;
    char mixed_memory = 0;
    char memory_short = 0;
    double capacity = 0;
    std::uint32_t first_info = 0;  // its levels' SlotInfo from shape_infos_[first_info]
  };
  static std::uint64_t shape_key(int start, int g);
  StageShape measure_shape(std::size_t s);
  void fill_speed(int s, int level, SpeedSlot& slot, MissingLog& log);
  void fill_memory(int s, int level, MemorySlot& slot, MissingLog& log);
  [[nodiscard]] double summed_memory(const MemorySlot& slot, int a, int b);
  [[nodiscard]] double add_memory(const MemorySlot& slot, int a, int b);
  bool mixed_speed(int s, int level, double& out, MissingLog& log);
  bool single_memory_entry(int s, int level, MemorySlot& slot, MissingLog& log);
  bool mixed_memory_entries(int s, int level, MemorySlot& slot, MissingLog& log);
  static void add_memory_entry(const ProfileEntry* e, MemorySlot& slot, std::vector<std::uint32_t>& items,
                               std::vector<const ProfileEntry*>& distinct);
  bool split_memory_entries(int dp, int level, MemorySlot& slot, MissingLog& log);

  const CaseTables& t_;
  const NodeOrderTables* order_ = nullptr;
  std::uint32_t plan_ = 0;  // number of the current plan, from 1
  int batch_ = 0;           // samples per micro-batch: gbs / batches
  int batches_ = 0;         // micro-batches
  // The device groups the figures are for, compared by value: a search's lists are made one at a time in
  // one buffer (ListCursor), so the same object holds one list after another.
  std::vector<int> group_;
  std::vector<int> start_;
  std::vector<int> level_base_;
  std::vector<double> capacity_;
  std::vector<char> mixed_ranks_;            // the stage's GPUs are of several types
  std::vector<char> mixed_memory_;           // the same over the memory estimate's list
  std::vector<char> memory_short_;           // the memory estimate's list ends before the stage's last GPU
  std::vector<std::pair<int, int>> counts_;  // (type, GPUs) in order of first appearance
  std::vector<SlotInfo> info_;               // per slot
  std::vector<PlanIndex> plan_index_;        // per slot; older plans' are stale by their number
  std::vector<SpeedSlot> speed_;
  std::vector<MemorySlot> memory_;
  std::vector<std::uint32_t> items_;  // memory entries of the current plan's slots, as distinct_ places
  std::vector<const ProfileEntry*> distinct_;  // per slot, its distinct memory entries in order of first use
  std::vector<double> slice_memory_;           // per distinct entry of a slot: 5 x its layer memory in [a, b)
  // Figures of mixed stages found for the current node order, kept until it changes. A mixed stage's speed
  // by (start, GPUs, level, batch); the memory estimate's entries (which the split of the whole cluster's
  // list gives, whatever the stage) by (dp, level, batch, 0), as places in shared_items_ / shared_distinct_.
  // Only figures found are kept: a missing entry is looked up, and logged, again.
  FlatMap<Key, double, KeyHash> mixed_speed_;
  // Stage figures by shape_key, for the node order: the device-group lists put stages on the same ranks
  // again and again.
  FlatMap<std::uint64_t, StageShape, std::hash<std::uint64_t>> shapes_;
  std::vector<SlotInfo> shape_infos_;
  FlatMap<Key, MemorySlot, KeyHash> mixed_memory_entries_;
  // summed_memory of shared places by (dp << 5 | level, batch, a, b), for the node order: the search asks
  // for the same layers of the same estimate again and again.
  FlatMap<Key, double, KeyHash> shared_memory_;
  std::vector<std::uint32_t> shared_items_;
  std::vector<const ProfileEntry*> shared_distinct_;
  std::vector<int> split_;
  std::vector<double> split_speed_;
  SplitScratch scratch_;
  EntryRangeSums memory_sums_;  // the layer memory of single-entry estimates, kept for the whole search
};

}  // namespace hetplan::internal

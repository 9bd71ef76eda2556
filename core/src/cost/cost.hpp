// The iteration-time estimate of one plan: pipeline execution, fb sync, parameter update, data-parallel and
// pipeline communication, batch generation.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "balance/balancers.hpp"
#include "cost/range_sums.hpp"
#include "enumerate/inter_stage.hpp"
#include "hetplan/model.hpp"
#include "input/context.hpp"
#include "search/intra_stage.hpp"
#include "util/flat_map.hpp"

namespace hetplan::internal {

// Costs plan after plan with one set of buffers. The bandwidth figures depend only on the node order and the
// device groups, which consecutive plans share (they differ in the number of micro-batches), so they are kept
// while those repeat.
class PlanCoster {
 public:
  PlanCoster(const CaseTables& t, CostModel model, MissingLog& log);

  // nullopt as for estimate_cost.
  std::optional<double> estimate(const NodeOrderTables& n, const InterStagePlan& plan,
                                 const IntraPlan& intra);

 private:
  struct Cached {
    bool known = false;
    bool ok = false;
    double value = 0;
  };
  // Figures of one (stage, level) that depend only on the node order and the device groups.
  struct Level {
    // CaseTables::dense_row of a single-type stage's (type, level), kNoRow for mixed stages.
    std::size_t time_row = CaseTables::kNoRow;
    // The data-parallel factor (2 (dp - 1)) / (dp bw MiB), known after the first use; ok false when a rank
    // has no node.
    Cached data_parallel;
  };
  // Per level (tp = 1 << level): the divisions by tp of the parameter and optimizer figures, which every
  // stage at that level makes the same.
  struct TpTerms {
    double first = 0;      // parameters of the first layer / tp
    double last = 0;       // of the last layer / tp
    double middle = 0;     // of a transformer layer / tp
    double optimizer = 0;  // optimizer time / tp
  };
  static constexpr int kMaxLevel = 30;
  void reset(const NodeOrderTables& n, const InterStagePlan& plan);
  // The execution time of a single-type stage whose entry's layer times were tabled before, in this plan or
  // an earlier one; false when not known so. Inline: every stage of every plan asks.
  bool tabled_execution_time(const Level& level, int mbs, int a, int b, double& out) const {
    // Past the table (and so not known) when the row or the batch size has no slot: see dense_offset.
    const EntryRangeSums::Table known = time_sums_.known(level.time_row + t_.dense_offset(mbs));
    if (known.sums == nullptr) return false;
    out = known.sum(a, b);
    return true;
  }
  bool execution_time(std::size_t s, int dp, int tp, int mbs, int a, int b, double& out);
  bool mixed_execution_time(std::size_t s, int dp, int tp, int a, int b, double& out);
  bool slowest_group_time(std::size_t s, int dp, int tp, int a, int b, double& out);
  const int* stage_split(std::size_t s, int dp, int tp);
  bool fb_sync(std::size_t s, const Level& level, int tp, int mbs, double& out);
  [[nodiscard]] double group_bandwidth(bool one_node, int first_node, double slowest_of_nodes) const;
  [[nodiscard]] std::optional<double> ranks_bandwidth(int first_rank, int stride, int count) const;
  // Fills pipeline_[s] (ok false when a rank has no node); value is the bandwidth times a MiB.
  void fill_pipeline_bandwidth(std::size_t s);
  // Fills levels_[slot].data_parallel, and the kept figures of its shape.
  void fill_data_parallel(std::size_t slot, std::size_t s, int dp, int tp);
  // A stage's figures that depend only on its ranks in the node order: its distinct types
  // (shape_types_[first_type ..]) and its levels (shape_levels_[first_level ..]).
  struct Shape {
    std::uint32_t first_type = 0;
    std::uint32_t type_count = 0;
    std::uint32_t first_level = 0;
  };
  Shape measure_shape(int start, int g);
  static constexpr int kPipelineTag = 255;
  static std::uint64_t figure_key(int start, int count, int tag);

  const CaseTables& t_;
  CostModel model_;
  MissingLog& log_;
  const NodeOrderTables* n_ = nullptr;
  // The device groups the figures are for, compared by value (the search makes its lists in one buffer).
  std::vector<int> groups_;
  int batches_ = 1;
  std::vector<int> start_;  // per stage, and the end of the last
  std::vector<int>
      types_;  // per stage its distinct types in order of first appearance: types_[types_start_[s]..]
  std::vector<int> types_start_;
  std::vector<Cached> pipeline_;  // per stage
  std::vector<Level> levels_;     // per stage and level (log2 tp), from level_base_[stage]
  std::vector<int> level_base_;
  std::vector<TpTerms> tp_terms_;  // per level
  // The bandwidth figures by the ranks they span (figure_key), kept while the node order is the same: the
  // device-group lists of one node order put stages on the same ranks again and again.
  FlatMap<std::uint64_t, Cached, std::hash<std::uint64_t>> order_figures_;
  // Stage shapes by figure_key(start, GPUs, 0), for the node order, and where each level of levels_ is kept.
  FlatMap<std::uint64_t, Shape, std::hash<std::uint64_t>> shapes_;
  std::vector<int> shape_types_;
  std::vector<Level> shape_levels_;
  std::vector<std::uint32_t> level_home_;
  std::vector<int> rank_node_;          // per rank of the node order
  std::vector<double> rank_bandwidth_;  // per rank: slowest host bandwidth of its node's type
  struct GroupTime {
    int type;
    int share;
    double time;
  };
  std::vector<GroupTime> group_times_;
  // Where a split's shares start in split_shares_; kNoSplit when the stage cannot be split.
  static constexpr std::uint32_t kNoSplit = UINT32_MAX;
  // Per stage and level: the micro-batch split of a mixed stage, for the plans numbered split_plan_ (those
  // with the same node order, device groups and micro-batches).
  struct SplitSlot {
    std::uint32_t plan = 0;
    std::uint32_t first = kNoSplit;
  };
  std::vector<SplitSlot> splits_;
  // The splits made for the node order, by the stage's ranks and level (figure_key) and the micro-batch: the
  // device-group lists put stages on the same ranks again and again. Their shares are kept one after another
  // in split_shares_ (a vector per split was one allocation per split).
  struct SplitKey {
    std::uint64_t ranks = 0;
    int batch = 0;
    bool operator==(const SplitKey&) const = default;
  };
  struct SplitKeyHash {
    std::size_t operator()(const SplitKey& k) const {
      return std::hash<std::uint64_t>{}((k.ranks * 0x9E3779B97F4A7C15ULL) ^
                                        static_cast<std::uint64_t>(k.batch));
    }
  };
  FlatMap<SplitKey, std::uint32_t, SplitKeyHash> order_splits_;  // SplitSlot::first of the split
  std::vector<int> split_shares_;
  std::vector<int> split_;  // the split being made
  // Mixed stages' execution times for the node order, by the stage's ranks and level (figure_key), the
  // micro-batch and the layers [a, b) (packed a << 32 | b).
  struct TimeKey {
    SplitKey split;
    std::uint64_t layers = 0;
    bool operator==(const TimeKey&) const = default;
  };
  struct TimeKeyHash {
    std::size_t operator()(const TimeKey& k) const {
      return SplitKeyHash{}(k.split) ^ std::hash<std::uint64_t>{}(k.layers * 0xC2B2AE3D27D4EB4FULL);
    }
  };
  FlatMap<TimeKey, Cached, TimeKeyHash> order_times_;
  std::uint32_t split_plan_ = 0;
  EntryRangeSums time_sums_;  // the layer times of the entries, kept for the whole search
  bool single_execution_time(std::size_t s, int tp, int mbs, int a, int b, double& out);
  std::vector<double> split_speed_;
  SplitScratch scratch_;
};

// nullopt when the estimate needs a profile entry that does not exist (or, in `reference`, an fb_sync of 0).
std::optional<double> estimate_cost(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan,
                                    const IntraPlan& intra, CostModel model, MissingLog& log);

}  // namespace hetplan::internal

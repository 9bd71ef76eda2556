// Lower bounds of the cost of every plan an inter-stage plan can give, whatever the intra-stage search picks
// for it: the bounded strategies skip what cannot beat the K-th best plan found so far. The derivation, term
// by term, is in docs/bounded-search.md.
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "balance/balancers.hpp"
#include "hetplan/model.hpp"
#include "input/context.hpp"

namespace hetplan::internal {

class CostBounds {
 public:
  CostBounds(const CaseTables& t, CostModel model);

  // A bound of one inter-stage plan in two parts: every term but the pipeline bubble, and a quick bound of
  // the slowest stage's time. value() is a lower bound of the cost of every plan of it; exceeds() tells, with
  // more work, whether the bubble takes every plan past a given cost.
  struct PlanBound {
    double base = 0;     // lowered by a margin for rounding; +infinity when no plan of it can get a cost
    double slowest = 0;  // the slowest stage takes at least this long
    // The pipeline's time ((B - 1) x slowest + sum of the stages) is at least base + pipeline - the part of
    // base that bounds the sum of the stages alone.
    double pipeline = 0;
    double sum = 0;  // that part of base
    int batches = 1;
    [[nodiscard]] double value() const {
      return std::max(base + ((batches - 1) * slowest), base - sum + pipeline);
    }
  };
  // The bound of the inter-stage plan (node order `order_id`, whose tables are `n`; device groups `groups`;
  // stage-count label `label`; `batches` micro-batches).
  PlanBound plan(const NodeOrderTables& n, int order_id, const std::vector<int>& groups, int label,
                 int batches);
  // Whether every plan of the inter-stage plan last given to plan() costs more than `cost`: true when its
  // bound does, or when no partition of the layers keeps every stage within the time the bubble leaves.
  bool exceeds(const PlanBound& bound, double cost);

  // A lower bound of the cost of every plan of every device-group list a multiset of stage sizes expands
  // into whose last costed stage (the one whose fb_sync the cost adds) has `last` GPUs, in any node order,
  // with `batches` micro-batches; `relabelled` for the blocks whose label is one stage while their lists
  // have more (costed over their first stage in `reference`, which is then the last costed one).
  double multiset(const std::vector<int>& sizes, bool relabelled, int batches, int last);
  // The least value() of plan() over every order of the multiset `sizes` (sorted) in node order `n`, for
  // blocks whose every stage is costed: into out[k x distinct.size() + place], per batch option k (batches
  // `options[k]`) and place in `distinct` (the multiset's distinct sizes, sorted) of the last stage's size.
  // Orders whose stages lie on the same kinds of GPUs get the same bound, and there are far fewer kinds than
  // orders (cost/order_bounds.cpp). False, with `out` untouched, when there are too many kinds to list.
  bool orders(const NodeOrderTables& n, int order_id, const std::vector<int>& sizes,
              const std::vector<int>& distinct, const std::vector<int>& options, std::vector<double>& out);
  // Whether the stage whose fb_sync the cost adds is a list's first (else its last).
  [[nodiscard]] bool first_stage_pays_fb(bool relabelled) const {
    return relabelled && model_ == CostModel::kReference;
  }

 private:
  // Per layer, the least time a stage can take for it over the levels (dp, tp) the search may give it.
  struct StageBound {
    bool usable = false;            // some level can be costed
    bool usable_last = false;       // some level can be costed as the last costed stage (its fb_sync too)
    double fb_last = 0;             // the least fb_sync over the levels usable as the last stage
    std::vector<double> per_layer;  // over the usable levels
    std::vector<double> per_layer_last;  // over the levels usable as the last stage
    double speed = 0;                    // at most this much layer weight per ms (1 / least_ratio)
    double speed_last = 0;               // the same as the last stage
  };
  // What any stage of g GPUs can take, wherever it lies in any node order: the least per layer over the
  // single-type stages of every type with g GPUs or more and, when the cluster has several types, a bound
  // of the stages of several types; and upper bounds of its speed (layer weights per ms).
  struct SizeBound {
    StageBound stage;
    double speed = 0;  // of the whole stage
    // window[k]: the least time of k consecutive layers (k = 0 .. layers); empty when a layer's time is
    // negative (the bounds it serves need times that add up).
    std::vector<double> window;
    std::vector<double> type_speed;  // per GPU of each type, over the ways a GPU of that type can be used
  };
  const StageBound& stage(const NodeOrderTables& n, int order_id, int start, int g, int batches);
  const SizeBound& size_bound(int g, int batches);
  void measure_size(int g, int batches, SizeBound& out);
  // The least slowest-stage time of any order of the stages and any partition: a value it is known to
  // exceed, from how many consecutive layers each stage can hold under a limit.
  [[nodiscard]] double least_slowest_any_order(const std::vector<int>& sizes, int batches);
  // The least (B - 1) x slowest + sum of the stages' times of stages that run at most `speeds` (layer weight
  // per ms; sorted fastest first), whichever of them hold the layers: a lower bound of the pipeline's time.
  // `cap`, when given: cap[k - 1] bounds the speed of any k stages together.
  [[nodiscard]] double least_pipeline(const std::vector<double>& speeds, int batches, double weight,
                                      const std::vector<double>* cap = nullptr) const;
  // How many of the first layers a plan of `stages` stages costs at least. The layer balancer gives a layer
  // to the stage holding most (4 of 7) of its pieces, and a layer whose pieces none holds so goes to no stage
  // (the partition then ends before the last layer). `corrected` costs such layers in the last stage: every
  // layer. In `reference` they are costed nowhere; pieces are held in runs in stage order, so such a layer
  // holds the whole run of a stage between two others, which then gets no layer, and the last stage always
  // holds a layer's worth of pieces: at most stages - 1 layers are left out.
  [[nodiscard]] int covered_layers(std::size_t stages) const {
    if (model_ == CostModel::kCorrected) return layers_;
    return std::max(0, layers_ - static_cast<int>(stages) + 1);
  }
  // Least weight-normalised time of per-layer times (min over layers of time / weight), 0 when none.
  [[nodiscard]] double least_ratio(const std::vector<double>& per_layer) const;
  void measure_single(int type, int g, int batches, StageBound& out);
  void set_speeds(StageBound& b) const;
  [[nodiscard]] bool within_bounds(int tp, int mbs) const;
  // The levels (tp = 1 << level, dp = g / tp, micro-batch gbs / batches / dp) the DFS may give a stage of g
  // GPUs with `batches` micro-batches.
  struct Level {
    int level, tp, dp, mbs;
  };
  [[nodiscard]] std::vector<Level> valid_levels(int g, int batches) const;
  void measure_mixed(const int* ranks, int g, int batches, StageBound& out);
  // Folds one level's per-layer times and fb_sync into the bound.
  void take_level(const std::vector<double>& times, bool fb_ok, double fb, StageBound& out) const;
  // Whether the layers can be split among the costed stages, in order (a stage may get none), with no stage
  // taking more than `limit`.
  [[nodiscard]] bool partition_fits(double limit) const;
  // plan() in three steps: clear the costed stages, add each (false when it can give no costed plan; the
  // last one's fb_sync goes into `fb`), and the bound of the stages added.
  void start_plan();
  bool gather(const StageBound& b, bool last, double& fb);
  void finish_plan(PlanBound& out, double fb, bool every_stage_costed);

  const CaseTables& t_;
  CostModel model_;
  int layers_;
  std::unordered_map<std::uint64_t, StageBound> single_;  // by (type, GPUs, batches)
  std::unordered_map<std::uint64_t, StageBound> mixed_;   // by (node order, first rank, GPUs, batches)
  std::unordered_map<std::uint64_t, SizeBound> sizes_;    // by (GPUs, batches)
  // Per type and level (tp = 1 << level): per layer, the least time per sample over the profiled batch sizes;
  // and the least over types.
  std::vector<std::vector<std::vector<double>>> per_sample_;
  std::vector<std::vector<double>> least_per_sample_;
  std::vector<double> weight_;         // per layer: its share of the model (the layer balancer's)
  std::vector<double> weight_prefix_;  // [c]: the weight of the first c layers
  // A lower bound of what the lone costed stage of `reference`'s relabelled plans adds besides fb_sync and
  // batch generation when it holds no layer: its data-parallel term then counts the first layer's parameters
  // less a middle layer's (negative when a middle layer is the larger), over the slowest bandwidth any rank
  // can have. 0 when that difference is not negative.
  double lone_stage_floor_ = 0;
  // The least a stage's execution time adds per micro-batch when its layer times may be negative (0 when
  // none is): the sum of the negative ones.
  [[nodiscard]] double negative_part(const std::vector<double>& per_layer) const;
  int covered_ = 0;  // covered_layers of the last plan() call
  std::vector<double> ratio_scratch_;
  std::vector<double> speeds_;
  std::vector<std::pair<double, int>> per_gpu_;  // per type: its bound of speed per GPU, its GPUs
  // How many GPUs may run at another type's speed (the tensor-parallel groups across a boundary of types).
  int borrowed_ = 0;
  std::vector<double> cap_;
  std::vector<const std::vector<double>*> costed_;  // per costed stage of the last plan() call
  std::vector<const std::vector<double>*> distinct_;
  std::vector<double> group_time_;
  std::vector<double> slowest_time_;
  std::vector<double> split_speed_;
  SplitScratch scratch_;
  std::vector<int> split_;
  MissingLog ignored_;  // entries the bounds look for are not the search's: their absence is not reported
};

}  // namespace hetplan::internal

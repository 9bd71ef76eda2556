// Lower bounds of the cost of every plan an inter-stage plan can give, whatever the intra-stage search picks
// for it: the bounded strategies skip what cannot beat the K-th best plan found so far. The derivation, term
// by term, is in docs/bounded-search.md.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "hetplan/internal/balancers.hpp"
#include "hetplan/internal/context.hpp"
#include "hetplan/model.hpp"

namespace hetplan::internal {

class CostBounds {
 public:
  CostBounds(const CaseTables& t, CostModel model);

  // A lower bound of the cost of every plan of the inter-stage plan (node order `order_id`, whose tables are
  // `n`; device groups `groups`; stage-count label `label`; `batches` micro-batches). +infinity when no plan
  // of it can get a cost. Already lowered by a margin for rounding: a plan's cost is never below it.
  double plan(const NodeOrderTables& n, int order_id, const std::vector<int>& groups, int label, int batches);

 private:
  // Per layer, the least time a stage can take for it over the levels (dp, tp) the search may give it.
  struct StageBound {
    bool usable = false;            // some level can be costed
    bool usable_last = false;       // some level can be costed as the last costed stage (its fb_sync too)
    double fb_last = 0;             // the least fb_sync over the levels usable as the last stage
    std::vector<double> per_layer;  // over the usable levels
    std::vector<double> per_layer_last;  // over the levels usable as the last stage
  };
  const StageBound& stage(const NodeOrderTables& n, int order_id, int start, int g, int batches);
  void measure_single(int type, int g, int batches, StageBound& out);
  void measure_mixed(const int* ranks, int g, int batches, StageBound& out);
  // Folds one level's per-layer times and fb_sync into the bound.
  void take_level(const std::vector<double>& times, bool fb_ok, double fb, StageBound& out) const;
  // The least, over partitions of the layers into the stages in order (a stage may get none), of the most
  // time a stage takes: a value it is known to exceed.
  [[nodiscard]] double least_slowest_stage(const std::vector<const std::vector<double>*>& stages) const;

  const CaseTables& t_;
  CostModel model_;
  int layers_;
  std::unordered_map<std::uint64_t, StageBound> single_;  // by (type, GPUs, batches)
  std::unordered_map<std::uint64_t, StageBound> mixed_;   // by (node order, first rank, GPUs, batches)
  std::vector<const std::vector<double>*> costed_;
  std::vector<double> group_time_;
  std::vector<double> slowest_time_;
  std::vector<double> split_speed_;
  SplitScratch scratch_;
  std::vector<int> split_;
  MissingLog ignored_;  // entries the bounds look for are not the search's: their absence is not reported
};

}  // namespace hetplan::internal

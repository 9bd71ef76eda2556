// Where a plan puts things: per stage its ranks in the node order, degrees, layers and the samples each
// data-parallel group takes per micro-batch. Shared by the explanation and the exports, which read a plan
// record apart from the search.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/search.hpp"
#include "input/context.hpp"

namespace hetplan::internal {

struct StagePlacement {
  int first_rank = 0;
  int gpus = 0;
  int dp = 1;
  int tp = 1;
  int first_layer = 0;
  int end_layer = 0;
  int micro_batch = 0;                     // gbs / batches / dp, rounded down as the cost model does
  std::vector<std::pair<int, int>> types;  // (type id, GPUs) in rank order
  std::vector<int> group_type;             // per data-parallel group: the type of its first rank
  std::vector<int> group_samples;          // per data-parallel group; empty when the split needs a
                                           // missing profile entry
  [[nodiscard]] bool mixed() const { return types.size() > 1; }
};

// The tables of a case and of a plan's node order, and its stages.
struct PlanLayout {
  std::unique_ptr<CaseTables> tables;
  std::unique_ptr<NodeOrderTables> order;
  std::vector<StagePlacement> stages;
  int per_batch = 0;  // samples per micro-batch: gbs / batches
};

// An error when the record does not fit the case: unknown or repeated types, GPUs, degrees, layers.
Outcome<PlanLayout> lay_out_plan(const Case& c, const PlanRecord& plan, NodeSizes sizes = NodeSizes::kActual);

}  // namespace hetplan::internal

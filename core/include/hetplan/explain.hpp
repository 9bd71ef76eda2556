// A plan explained: its cost as the named terms the cost model adds, and per stage its GPUs, degrees,
// layers, time per micro-batch and memory (the search's own check, and a per-GPU breakdown). Recomputed
// from the case for one plan, apart from the search: the search's cost path stays as it is. The formulas
// are in docs/explain.md.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/model.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/search.hpp"

namespace hetplan {

// One addend of the cost, in the order the cost model adds them: the terms summed left to right give the
// plan's cost to the last bit.
struct CostTerm {
  std::string key;    // stable name for JSON: "bubble", "compute", "fb_sync", ...
  std::string label;  // what it is, for people
  double ms = 0;
  int stage = -1;  // the stage that sets a max-of-stages term, -1 for sums and plan-wide terms
};

// Memory of one GPU of a stage, by the breakdown of docs/explain.md (MiB).
struct GpuMemory {
  std::string type;
  int gpus = 0;     // GPUs of this type in the stage
  int samples = 0;  // samples per micro-batch of the data-parallel group this figure is for (the largest)
  double weights_mb = 0;
  double gradients_mb = 0;
  double optimizer_mb = 0;
  double activations_mb = 0;  // of all micro-batches in flight
  double total_mb = 0;
  double capacity_mb = 0;  // the GPU's memory
};

struct StageExplanation {
  int first_rank = 0;  // in the node order's rank numbering
  int gpus = 0;
  std::vector<std::pair<std::string, int>> types;  // (type, GPUs) in rank order
  int dp = 1;
  int tp = 1;
  int first_layer = 0;  // layers [first_layer, end_layer) of the profiles' numbering
  int end_layer = 0;
  int micro_batch = 0;             // samples per micro-batch per data-parallel group: gbs / batches / dp
  std::vector<int> group_samples;  // per data-parallel group (mixed stages split by speed; empty: no split)
  bool costed = false;             // `reference` costs only the first `num_stage` stages
  double time_ms = 0;              // forward + backward of one micro-batch (the slowest group's)
  double dp_sync_ms = 0;           // its gradient all-reduce
  double update_ms = 0;            // its optimizer step
  double pp_send_ms = 0;           // sending its activations to the next stage (0 for the last)
  bool bottleneck = false;         // the slowest costed stage (the first of equal ones)
  int in_flight = 0;               // micro-batches whose activations it holds under 1F1B
  // The search's memory check: demand (0.001 + 5 x the profiled layer memory of `check_type`'s entry)
  // against the summed memory of the stage's GPUs, both in MB for the whole stage.
  bool check_known = false;
  double check_demand_mb = 0;
  double check_capacity_mb = 0;
  std::string check_type;            // the node order's first type, whatever the stage's types
  bool check_cluster_split = false;  // entries per share of a split over the whole cluster's GPUs
  std::vector<GpuMemory> memory;     // per type of the stage, in rank order
};

struct PlanExplanation {
  CostModel cost_model = CostModel::kCorrected;
  int batches = 0;
  int costed_stages = 0;
  double total_ms = 0;          // the terms added left to right: the plan's cost
  std::vector<CostTerm> terms;  // bubble, compute, fb_sync, update, dp_sync, pp, batch_generation
  std::vector<StageExplanation> stages;
  int bottleneck = 0;  // index of the slowest costed stage
  std::vector<std::string> notes;
};

// Bytes kept per parameter by mixed-precision Adam (docs/explain.md): half-precision weights and gradients,
// fp32 master weights with two moments.
inline constexpr double kWeightBytes = 2;
inline constexpr double kGradientBytes = 2;
inline constexpr double kOptimizerBytes = 12;
// The profiles give parameter sizes in bytes of fp32 parameters.
inline constexpr double kProfiledBytesPerParameter = 4;

// An error when the plan does not fit the case (types, GPUs, layers) or its cost cannot be recomputed (a
// missing profile entry, or in `reference` an fb_sync of 0: such a plan has no cost in the search either).
Outcome<PlanExplanation> explain_plan(const Case& c, const PlanRecord& plan, CostModel model);

}  // namespace hetplan

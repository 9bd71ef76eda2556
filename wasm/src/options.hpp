// The options object of runSearch: which strategies to run, with which cost model, keeping how many plans.
#pragma once

#include <string_view>
#include <vector>

#include "hetplan/model.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/search.hpp"

namespace hetplan::wasm {

struct RunOptions {
  // In the order given, each once ("both": metis then pruned); the order of the {"metis": R, ...} output.
  std::vector<Strategy> strategies{Strategy::kMetis, Strategy::kPruned};
  CostModel cost_model = CostModel::kCorrected;
  int top_k = 1;
  // Cases with more inter-stage plans are refused (the page asks the user to confirm, then raises it).
  std::int64_t max_inter_plans = kDefaultMaxInterPlans;
  // Minimum time between two progress calls; the page wants about ten a second.
  double progress_interval_ms = 100;
  // Also an event each time another 1/progress_slices of the inter-stage plans is done (0: time only).
  int progress_slices = 16;
  // ... but not sooner than this after the previous event (see throttle.hpp).
  double progress_min_gap_ms = 2;
  // This run searches shard shard_index of shard_count (the page's Web Workers split one search this way;
  // merge_results joins their results).
  int shard_index = 0;
  int shard_count = 1;
  // Each strategy's search runs this many times and elapsed_ms is the mean, as `hetplan plan --trials`: a
  // single search right after reading the case runs on cold caches, the mean of several on warm ones. The
  // progress events are those of the first run, then the final one.
  int trials = 1;
};

// Parses {"strategy": "metis" or a comma-separated list as the CLI's --strategy ("metis,bounded,optimal";
// "both" = metis,pruned), "cost_model": "corrected|reference", "top": K,
// "max_inter_plans": M, "progress_interval_ms": T, "progress_slices": S, "progress_min_gap_ms": G,
// "shard_index": I, "shard_count": N, "trials": T};
// every field is optional and the defaults are those of `hetplan plan` (one shard: the whole search).
Outcome<RunOptions> parse_run_options(std::string_view text);

}  // namespace hetplan::wasm

// Runs one strategy of the search on several threads. Threads are shards of the one mechanism the core offers
// (inter-stage plans split by global index, results merged by cost then index), so the result is the same for
// any thread count; only the time changes.
#pragma once

#include <string>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/search.hpp"

namespace hetplan::cli {

struct RunSettings {
  CostModel cost_model = CostModel::kCorrected;
  int top_k = 1;
  int threads = 1;
  int trials = 1;  // the search is repeated; the reported time is the mean
  std::int64_t max_inter_plans = kDefaultMaxInterPlans;
  bool launchable_only = false;
  bool show_progress = false;
  std::string label;  // shown at the start of the progress line
};

struct TimedRun {
  SearchResult result;   // after Ctrl-C: what the interrupted search found so far, marked cancelled
  double mean_ms = 0;    // mean wall time of one search over the trials
  int threads_used = 1;  // fewer than asked when there are fewer inter-stage plans than threads
  int trials = 1;
  std::vector<double> trial_ms;  // wall time of each trial, in the order run
};

// All hardware threads (1 when the platform cannot tell).
int default_thread_count();

// Runs the trials of one strategy. Ctrl-C stops it with the result so far (interrupted() then tells the
// command to stop). A metis or pruned search over the limit, or estimated to take more than a day, is refused
// with an error of kind kTooLarge whose message names --max-inter-plans and the time it would take.
Outcome<TimedRun> run_strategy(const Case& c, Strategy strategy, const RunSettings& settings);

}  // namespace hetplan::cli

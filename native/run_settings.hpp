// From the shared command-line options to what the runner needs (strategy list, cost model, threads).
#pragma once

#include <vector>

#include "hetplan/model.hpp"
#include "options.hpp"
#include "runner.hpp"

namespace hetplan::cli {

// "both" runs metis first: the JSON object and the tables list them in that order.
inline std::vector<Strategy> strategies_of(const std::string& name) {
  if (name == "metis") return {Strategy::kMetis};
  if (name == "pruned") return {Strategy::kPruned};
  return {Strategy::kMetis, Strategy::kPruned};
}

inline RunSettings settings_of(const RunOptions& o) {
  RunSettings s;
  s.cost_model = o.cost_model == "reference" ? CostModel::kReference : CostModel::kCorrected;
  s.top_k = o.top;
  s.trials = o.trials;
  s.threads = o.threads > 0 ? o.threads : default_thread_count();
  s.max_inter_plans = o.max_inter_plans;
  return s;
}

}  // namespace hetplan::cli

// From the shared command-line options to what the runner needs (strategy list, cost model, threads).
#pragma once

#include <string>
#include <vector>

#include "hetplan/model.hpp"
#include "options.hpp"
#include "runner.hpp"

namespace hetplan::cli {

// The --strategy list, which the option's validator has checked (parse_strategy_list).
inline std::vector<Strategy> strategies_of(const std::string& names) {
  auto parsed = parse_strategy_list(names);
  return parsed ? std::move(*parsed) : std::vector<Strategy>{};
}

inline RunSettings settings_of(const RunOptions& o) {
  RunSettings s;
  s.cost_model = o.cost_model == "reference" ? CostModel::kReference : CostModel::kCorrected;
  s.top_k = o.top;
  s.trials = o.trials;
  s.threads = o.threads > 0 ? o.threads : default_thread_count();
  s.max_inter_plans = o.max_inter_plans;
  s.launchable_only = o.launchable_only;
  return s;
}

}  // namespace hetplan::cli

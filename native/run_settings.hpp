// From the shared command-line options to what the runner needs (strategy list, cost model, threads).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "hetplan/model.hpp"
#include "options.hpp"
#include "runner.hpp"

namespace hetplan::cli {

// A comma-separated list of strategy names (checked by the option's validator), in the order given; "both"
// stands for metis then pruned. The JSON object and the tables list them in that order.
inline std::vector<Strategy> strategies_of(const std::string& names) {
  std::vector<Strategy> out;
  const auto add = [&out](Strategy s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  std::size_t from = 0;
  while (from <= names.size()) {
    std::size_t to = names.find(',', from);
    if (to == std::string::npos) to = names.size();
    const std::string name = names.substr(from, to - from);
    if (name == "both") {
      add(Strategy::kMetis);
      add(Strategy::kPruned);
    }
    for (const Strategy s : kAllStrategies) {
      if (name == to_string(s)) add(s);
    }
    from = to + 1;
  }
  return out;
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

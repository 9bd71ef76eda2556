#include "hetplan/model.hpp"

#include <algorithm>
#include <iterator>
#include <string>

namespace hetplan {

const char* to_string(Strategy s) {
  switch (s) {
    case Strategy::kMetis:
      return "metis";
    case Strategy::kPruned:
      return "pruned";
    case Strategy::kBounded:
      return "bounded";
    case Strategy::kBoundedPruned:
      return "bounded-pruned";
    case Strategy::kOptimal:
      return "optimal";
  }
  return "metis";
}

Strategy dfs_of(Strategy s) {
  return s == Strategy::kPruned || s == Strategy::kBoundedPruned ? Strategy::kPruned : Strategy::kMetis;
}

Outcome<std::vector<Strategy>> parse_strategy_list(std::string_view text) {
  std::vector<Strategy> out;
  const auto add = [&out](Strategy s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  for (;;) {
    const std::size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    if (name == "both") {
      add(Strategy::kMetis);
      add(Strategy::kPruned);
    } else {
      const auto* it = std::find_if(std::begin(kAllStrategies), std::end(kAllStrategies),
                                    [name](Strategy s) { return name == to_string(s); });
      if (it == std::end(kAllStrategies)) {
        return Error{"unknown strategy '" + std::string(name) +
                     "': expected metis, pruned, both, bounded, bounded-pruned or optimal (comma-separated)"};
      }
      add(*it);
    }
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

bool uses_bounds(Strategy s) {
  return s != Strategy::kMetis && s != Strategy::kPruned;
}
const char* to_string(CostModel c) {
  return c == CostModel::kCorrected ? "corrected" : "reference";
}

}  // namespace hetplan

#include "hetplan/model.hpp"

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

bool uses_bounds(Strategy s) {
  return s != Strategy::kMetis && s != Strategy::kPruned;
}
const char* to_string(CostModel c) {
  return c == CostModel::kCorrected ? "corrected" : "reference";
}

}  // namespace hetplan

#include "hetplan/model.hpp"

namespace hetplan {

const char* to_string(Strategy s) {
  return s == Strategy::kMetis ? "metis" : "pruned";
}
const char* to_string(CostModel c) {
  return c == CostModel::kCorrected ? "corrected" : "reference";
}

}  // namespace hetplan

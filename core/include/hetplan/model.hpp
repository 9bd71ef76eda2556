// The model and the search bounds: the reference's command-line values (args.json in a case folder).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hetplan/outcome.hpp"

namespace hetplan {

struct ModelConfig {
  int num_layers = 0;
  int hidden_size = 4096;
  int sequence_length = 1024;
  int vocab_size = 51200;
  int attention_heads = 32;
};

struct SearchBounds {
  int gbs = 0;
  int max_tp = 128;
  int max_bs = 128;
  double scale_variance = 1;
  int max_permute_len = 128;
};

// metis and pruned are the reference's searches, step for step. bounded and bounded-pruned return the same
// top K as metis and pruned while skipping the inter-stage plans a lower bound of their cost rules out;
// optimal returns the cheapest plans over every (dp, tp) per stage that fits in memory.
enum class Strategy { kMetis, kPruned, kBounded, kBoundedPruned, kOptimal };
inline constexpr Strategy kAllStrategies[] = {Strategy::kMetis, Strategy::kPruned, Strategy::kBounded,
                                              Strategy::kBoundedPruned, Strategy::kOptimal};

// The intra-stage DFS a strategy runs on the inter-stage plans it searches (metis's or pruned's).
Strategy dfs_of(Strategy s);
// Whether the strategy skips inter-stage plans by a lower bound of their cost.
bool uses_bounds(Strategy s);
enum class CostModel { kCorrected, kReference };

const char* to_string(Strategy s);

// A comma-separated list of strategy names, in the order given, each strategy once; "both" stands for metis
// then pruned. The error names the first unknown (or empty) name.
Outcome<std::vector<Strategy>> parse_strategy_list(std::string_view text);
const char* to_string(CostModel c);

}  // namespace hetplan

// The model and the search bounds: the reference's command-line values (args.json in a case folder).
#pragma once

#include <cstdint>

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

enum class Strategy { kMetis, kPruned };
enum class CostModel { kCorrected, kReference };

const char* to_string(Strategy s);
const char* to_string(CostModel c);

}  // namespace hetplan

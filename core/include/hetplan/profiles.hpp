// Per-layer profiles of one model on each device type, keyed by (tensor-parallel degree, micro-batch size).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace hetplan {

struct ProfileEntry {
  std::string source;                // file name, for messages
  std::vector<double> layer_times;   // ms per layer (forward + backward)
  double layer_time_sum = 0;         // left-to-right sum of layer_times
  double fb_sync = 0;                // forward_backward_time_ms - layer_time_sum
  std::vector<double> layer_memory;  // MB per layer
};

// Figures that belong to the model rather than a device: taken from the first profile file in byte order.
struct ModelFigures {
  std::string source_file;
  double optimizer_time = 0;   // 2 x optimizer_time_ms
  double batch_generator = 0;  // batch_generator_time_ms
  std::vector<double> parameters_per_layer;
  int num_layers = 0;
  // The model's name: the first non-blank model.model_name of the files in that order (measured profiles may
  // leave it out), trimmed; empty when none gives one.
  std::string name;
};

struct ProfileSet {
  // Device types in the order their first file appears in byte-sorted file-name order.
  std::vector<std::string> types;
  std::map<std::string, std::map<std::pair<int, int>, ProfileEntry>> entries;  // type -> (tp, bs) -> entry
  ModelFigures model;

  [[nodiscard]] const ProfileEntry* find(const std::string& type, int tp, int bs) const;
};

}  // namespace hetplan

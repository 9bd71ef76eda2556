// Profile files into a ProfileSet. Shared by the readers of profile files (as text, or already parsed in a
// case JSON) and the synthetic generator's direct path (synth_profile_set), so that the set's derived figures
// (sums, fb-sync gaps, the model's figures) come out of one piece of code whichever way the figures arrived.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hetplan/outcome.hpp"
#include "hetplan/profiles.hpp"
#include "input/json_util.hpp"

namespace hetplan::internal {

// The fields of a profile file that the planner reads.
struct ProfileFigures {
  std::vector<double> layer_times;           // execution_time.layer_compute_total_ms
  double forward_backward = 0;               // execution_time.forward_backward_time_ms
  double optimizer = 0;                      // execution_time.optimizer_time_ms
  double batch_generator = 0;                // execution_time.batch_generator_time_ms
  std::vector<double> layer_memory;          // execution_memory.layer_memory_total_mb
  std::vector<double> parameters_per_layer;  // model.parameters.parameters_per_layer_bytes
  std::string model_name;                    // model.model_name, trimmed; empty when absent or blank
};

// DeviceType.<TYPE>_tp<T>_bs<B>.json
std::string profile_file_name(const std::string& type, int tp, int bs);

// Adds the figures of the file `name` (of `type`, tp and bs; `source` names it in messages) to `set`. Files
// must come in byte order of their names: the first one gives the model's figures. An error when the set
// already holds that type, tp and bs.
std::optional<Error> add_profile(ProfileSet& set, const std::string& name, std::string source,
                                 const std::string& type, int tp, int bs, ProfileFigures figures);

// A profile file: its name, and its text or its JSON already parsed (a case JSON's "profiles" holds either;
// reading the parsed value spares printing it and reading the text again, which in WebAssembly was most of
// the time spent reading a case).
struct ProfileSource {
  std::string name;
  std::string text;
  const Json* parsed = nullptr;  // when set, text is not read
};

// parse_profiles for files given either way.
Outcome<ProfileSet> read_profiles(std::vector<ProfileSource> files, const std::string& folder);

}  // namespace hetplan::internal

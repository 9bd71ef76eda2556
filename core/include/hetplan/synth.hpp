// The synthetic inputs of the published experiments: profiles scaled from nine measured A100 samples
// (gen_synth_data.py) and the two-type hostfile (gen_hostfile.py).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hetplan/parse.hpp"

namespace hetplan {

struct SynthType {
  std::string name;
  double time_factor = 1;  // every time field of the A100 profile multiplied by this
};

// Past a million times the A100's, the times no longer fit the profiles' whole numbers.
inline constexpr double kMaxSynthTimeFactor = 1e6;

// A100 x1 and V100 x3.5, as the reference generator writes them.
std::vector<SynthType> reference_synth_types();

// The profile files the reference generator writes for `layers` layers and maximum batch size `max_bs`,
// for A100 and each further type scaled by its factor. Names and JSON fields as the reference writes them.
Outcome<std::vector<TextFile>> synth_profile_files(int layers, int max_bs,
                                                   const std::vector<SynthType>& types);

// The profile set parse_profiles(synth_profile_files(layers, max_bs, types), folder) gives, built without
// writing and reading the files: the same figures, bit for bit (the files' numbers read back exactly), in a
// fraction of the time (reading the numbers dominated a synthetic case's set-up in WebAssembly).
Outcome<ProfileSet> synth_profile_set(int layers, int max_bs, const std::vector<SynthType>& types,
                                      const std::string& folder);

// gen_hostfile.py N: N/4 nodes of 4 V100 (0.0.0.1), then N/4 nodes of 4 A100 (0.0.0.4).
Outcome<std::string> synth_hostfile(int gpus_per_type);

// The clusterfile shipped with the reference (V100, P100, T4, A100).
std::string reference_clusterfile();

// A row of the published table (Metis, USENIX ATC'24, table 1): the model's layers, the GPUs of each of the
// two types, and the search steps the paper reports for each strategy.
struct PublishedTableRow {
  int layers;
  int gpus_per_type;  // "16 A100 + 16 V100" is synth_hostfile(16)
  std::int64_t metis_steps;
  std::int64_t pruned_steps;
};
inline constexpr std::array<PublishedTableRow, 4> kPublishedTable = {{
    {10, 16, 612, 562},
    {20, 32, 58078, 41208},
    {20, 64, 3734, 3482},
    {40, 128, 1714619, 1553492},
}};

// A row of the published table, built in memory: synth_hostfile(gpus_per_type), the reference clusterfile and
// the synthetic A100/V100 profiles of the row's layers, with the table's arguments (GPT 1.5B, gbs 128,
// profiled up to tp 128 and bs 128, variance 1, permute length 128).
Outcome<Case> published_table_case(const PublishedTableRow& row);

}  // namespace hetplan

#include "synthetic_cases.hpp"

#include "hetplan/parse.hpp"

namespace hetplan::testing {

Outcome<Case> build(const SyntheticCase& s) {
  auto files = synth_profile_files(s.layers, 128, s.types);
  if (!files) return files.error();
  CaseArgs args;
  args.model.num_layers = s.layers;
  args.bounds.gbs = s.gbs;
  args.bounds.scale_variance = s.variance;
  args.bounds.max_permute_len = s.max_permute_len;
  return case_from_texts({"hostfile", s.hostfile}, {"clusterfile", reference_clusterfile()},
                         std::move(*files), "synthetic", args);
}

SyntheticCase table_row(int row) {
  static const int layers[] = {10, 20, 20, 40};
  static const int gpus[] = {16, 32, 64, 128};
  SyntheticCase s;
  s.layers = layers[row - 1];
  s.hostfile = *synth_hostfile(gpus[row - 1]);
  return s;
}

}  // namespace hetplan::testing

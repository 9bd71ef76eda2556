#include "synthetic_cases.hpp"

#include "hetplan/parse.hpp"

namespace hetplan::testing {

Outcome<Case> build(const SyntheticCase& s) {
  auto hosts = parse_hostfile(s.hostfile, "hostfile");
  if (!hosts) return hosts.error();
  auto specs = parse_clusterfile(reference_clusterfile(), "clusterfile");
  if (!specs) return specs.error();
  auto cluster = make_cluster(*hosts, *specs, "hostfile", "clusterfile");
  if (!cluster) return cluster.error();
  auto files = synth_profile_files(s.layers, 128, s.types);
  if (!files) return files.error();
  auto profiles = parse_profiles(*files, "synthetic");
  if (!profiles) return profiles.error();
  CaseArgs args;
  args.model.num_layers = s.layers;
  args.bounds.gbs = s.gbs;
  args.bounds.scale_variance = s.variance;
  args.bounds.max_permute_len = s.max_permute_len;
  return make_case(*cluster, *profiles, args);
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

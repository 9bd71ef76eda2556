// Synthetic cases built with the project's own generators: the published table and the synthetic golden
// cases, so their expected figures can be checked without the shared golden data.
#pragma once

#include <string>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/synth.hpp"

namespace hetplan::testing {

struct SyntheticCase {
  int layers = 10;
  std::string hostfile;
  std::vector<SynthType> types = reference_synth_types();
  int gbs = 128;
  double variance = 1;
  int max_permute_len = 128;
};

Outcome<Case> build(const SyntheticCase& s);

// Row r (1-4) of the published table.
SyntheticCase table_row(int row);

}  // namespace hetplan::testing

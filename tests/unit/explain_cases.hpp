// Cases and checks shared by the explanation's unit and golden tests.
#pragma once

#include <random>
#include <string>

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"

namespace hetplan::testing {

// A small random cluster: one to three types, nodes of 1, 2 or 4 GPUs, random bandwidths and memory, with
// the synthetic profiles of a random number of layers.
struct RandomCase {
  std::string hostfile;
  std::string clusterfile;
  int layers = 4;
  int gbs = 32;
  double variance = 1;
  std::vector<std::pair<std::string, double>> types;  // name, time factor
};

RandomCase random_case(std::mt19937& gen);
Outcome<Case> build_random(const RandomCase& r);

// Searches the case with both strategies in both cost models (top K each) and expects every plan's
// explanation to give the plan's cost to the last bit, its terms summed left to right. Returns the number
// of plans checked.
int expect_terms_add_to_costs(const Case& c, int top_k);

}  // namespace hetplan::testing

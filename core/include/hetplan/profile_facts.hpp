// What a set of profiles says about the model and the bounds of its search, and the values a case takes from
// it when the user leaves them out. The page reads measured profiles loaded without args.json this way
// (web/profile-facts.js); the CLI does the same with --profiles, so both take the same values from one rule.
#pragma once

#include <string>
#include <vector>

#include "hetplan/profiles.hpp"

namespace hetplan {

struct ProfileFacts {
  std::string model_name;  // the first model.model_name the files give (byte order of names); empty: none
  int num_layers = 0;      // the length of the first file's layer times
  // The largest tensor-parallel degree and micro-batch size the profiles of the asked types cover: the
  // largest over the types, so a type that covers less misses some entries (the search counts and names
  // them).
  int max_tp = 0;  // 0: no profile of those types
  int max_bs = 0;
};

// The facts of `profiles` over the device types `types` (a case's: those of its cluster).
ProfileFacts profile_facts(const ProfileSet& profiles, const std::vector<std::string>& types);

// Which values a case takes from its profiles: those the user did not give (on the command line or in an
// args file). Also, in a case, which of them it did take.
struct FromProfiles {
  bool model_name = false;
  bool num_layers = false;
  bool max_tp = false;
  bool max_bs = false;

  [[nodiscard]] bool any() const { return model_name || num_layers || max_tp || max_bs; }
};

}  // namespace hetplan

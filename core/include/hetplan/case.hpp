// Everything one search needs, parsed and checked: the cluster, the profiles, the model and the bounds.
#pragma once

#include <string>
#include <vector>

#include "hetplan/cluster.hpp"
#include "hetplan/model.hpp"
#include "hetplan/profile_facts.hpp"
#include "hetplan/profiles.hpp"

namespace hetplan {

struct Case {
  std::string model_name = "GPT";
  Cluster cluster;
  ProfileSet profiles;
  ModelConfig model;
  SearchBounds bounds;
  // Device type whose tp1_bs1 layer times the layer balancer normalises (the first profile type that has
  // one).
  std::string balance_type;
  // Things the planner decided on the user's behalf (say them in the output).
  std::vector<std::string> notes;
  // The values taken from the profiles because the user left them out (CaseArgs::from_profiles), for the face
  // to say so: they change what is searched, so none is taken silently.
  FromProfiles taken_from_profiles;
};

}  // namespace hetplan

// Everything one search needs, parsed and checked: the cluster, the profiles, the model and the bounds.
#pragma once

#include <string>
#include <vector>

#include "hetplan/cluster.hpp"
#include "hetplan/model.hpp"
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
};

}  // namespace hetplan

// Plans the search may return that no training framework launches as they are. The search is the
// reference's and keeps such plans (its counts are the contract); the result flags them instead, so a face
// can say why a "best" plan is not one to run, and the `corrected` model can leave them out of the top K.
#pragma once

#include <string>
#include <vector>

#include "hetplan/case.hpp"

namespace hetplan {

struct PlanRecord;

enum class LaunchIssue {
  kTpAcrossNodes,  // a tensor-parallel group spans nodes: its all-reduces would cross the slow links
  kTpAcrossTypes,  // a tensor-parallel group mixes GPU types: its ranks run in lockstep at the slowest pace
  kTpOverHeads,    // tp larger than the attention heads: some ranks would hold no head
  kTpSplitsHeads,  // tp does not divide the attention heads: the heads cannot be shared out evenly
};

struct LaunchWarning {
  LaunchIssue issue = LaunchIssue::kTpAcrossNodes;
  int stage = 0;        // from 1, as the tables and explanations number stages
  std::string message;  // "stage 1: tp 32 spans 8 nodes", for people
};

// The stable name of an issue in JSON: "tp_across_nodes", "tp_across_types", "tp_over_heads",
// "tp_splits_heads".
const char* to_string(LaunchIssue issue);

// The issues of a plan of this case, by stage, then in the order of LaunchIssue. Ranks run through the node
// order (the types of node_sequence, each type's hosts in hostfile order), tensor-parallel groups innermost:
// the ranks a launcher would give them. Empty for a plan that does not fit the case.
std::vector<LaunchWarning> launch_warnings(const Case& c, const PlanRecord& plan);

}  // namespace hetplan

// The training run of the profile-guided build (core/pgo/CMakeLists.txt): searches that exercise the core
// as real cases do, run once by an instrumented copy of the core. GCC then lays out and inlines the core by
// the counts this run leaves. A build tool, not part of the library; it prints only on failure.
//
// The cases: rows 1-3 of the published table (two types) and a three-type cluster, so that stages mixing GPU
// types weigh in too; both strategies, both cost models.
#include <cstdio>
#include <string>

#include "hetplan/json_api.hpp"
#include "hetplan/search.hpp"
#include "hetplan/synth.hpp"

namespace {

// 8 A100, 4 V100 and 4 T4 in nodes of 4: 8 layers (the page's three-type preset).
constexpr const char* kThreeTypeSpec = R"({
  "types": [
    {"name": "A100", "memory": 80, "intra_bandwidth": 46, "inter_bandwidth": 10, "time_factor": 1,
     "nodes": 2, "gpus_per_node": 4},
    {"name": "V100", "memory": 16, "intra_bandwidth": 50, "inter_bandwidth": 10, "time_factor": 3.5,
     "nodes": 1, "gpus_per_node": 4},
    {"name": "T4", "memory": 15, "intra_bandwidth": 50, "inter_bandwidth": 10, "time_factor": 5,
     "nodes": 1, "gpus_per_node": 4}],
  "layers": 8, "max_batch_size": 128,
  "args": {"model_name": "GPT", "num_layers": 8, "gbs": 128, "hidden_size": 4096, "sequence_length": 1024,
           "vocab_size": 51200, "attention_head_size": 32, "max_profiled_tp_degree": 128,
           "max_profiled_batch_size": 128, "min_group_scale_variance": 1, "max_permute_len": 128}})";

// Searches the case with both strategies and both cost models; false, with a message, when the case or a
// search fails.
bool search_all_ways(const hetplan::Outcome<hetplan::Case>& c, const std::string& name) {
  if (!c) {
    std::fprintf(stderr, "hetplan_pgo_train: %s: %s\n", name.c_str(), c.error().message.c_str());
    return false;
  }
  for (const auto strategy : {hetplan::Strategy::kMetis, hetplan::Strategy::kPruned}) {
    for (const auto model : {hetplan::CostModel::kCorrected, hetplan::CostModel::kReference}) {
      hetplan::SearchRequest request;
      request.strategy = strategy;
      request.cost_model = model;
      request.top_k = 5;
      if (auto result = hetplan::run_search(*c, request); !result) {
        std::fprintf(stderr, "hetplan_pgo_train: %s: %s\n", name.c_str(), result.error().message.c_str());
        return false;
      }
    }
  }
  return true;
}

}  // namespace

int main() {
  for (std::size_t row = 0; row < 3; ++row) {
    if (!search_all_ways(hetplan::published_table_case(hetplan::kPublishedTable.at(row)),
                         "published table row " + std::to_string(row + 1))) {
      return 1;
    }
  }
  const auto text = hetplan::synthetic_case_json(kThreeTypeSpec);
  const auto c = text ? hetplan::case_from_json(*text, "three-type case")
                      : hetplan::Outcome<hetplan::Case>(text.error());
  return search_all_ways(c, "three-type case") ? 0 : 1;
}

// The search: enumerate inter-stage plans, run the intra-stage DFS on each, cost the plans, keep the top K.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/launch.hpp"
#include "hetplan/model.hpp"
#include "hetplan/outcome.hpp"

namespace hetplan {

struct PlanRecord {
  double cost = 0;
  std::vector<std::string> node_sequence;
  std::vector<int> device_groups;
  int num_stage = 0;  // the stage-count label of the inter-stage plan (can differ from device_groups.size())
  std::vector<std::pair<int, int>> strategies;  // (dp, tp) per stage
  int batches = 0;
  std::vector<int> layer_partition;
  std::int64_t inter_plan_index = 0;  // global enumeration index of the inter-stage plan
  // Order of this plan among those the DFS returned for that inter plan; optimal's assignments of a plan of
  // many stages can number more than an int holds.
  std::int64_t intra_index = 0;
  int num_repartition = 0;
  // Why no framework launches the plan as it is (launch_warnings), filled for the plans of a result's top K.
  std::vector<LaunchWarning> warnings;
};

// Orders plans by cost, then enumeration order: the deterministic tie-break.
bool plan_before(const PlanRecord& a, const PlanRecord& b);

// A limit that lets every published case run and refuses, by default, searches of minutes or more: far more
// plans could take days (the faces estimate the time from the count: docs/performance.md, "Estimated times").
inline constexpr std::int64_t kDefaultMaxInterPlans = 5'000'000;

struct SearchRequest {
  Strategy strategy = Strategy::kMetis;
  CostModel cost_model = CostModel::kCorrected;
  int top_k = 1;
  // Shards: this run searches the device-group lists whose global list number (inter-stage index / number of
  // batch options) % shard_count == shard_index, each with all its batch options.
  int shard_index = 0;
  int shard_count = 1;
  // Shared work instead of a fixed shard (shard_count must then be 1): the search takes chunks of
  // `claim_lists` device-group lists, claim() giving the global number of each chunk's first list, until it
  // gives one past the last list. Threads that claim from one counter split the search by how fast each goes
  // (a fixed split waits for the slowest core); merge_results gives the same result whoever searched what.
  std::function<std::int64_t()> claim;
  std::int64_t claim_lists = 16;
  // Refuse cases with more inter-stage plans than this (counted before starting; an error of kind kTooLarge
  // with the whole count) unless the caller confirms a long run by raising it. metis and pruned only.
  std::int64_t max_inter_plans = kDefaultMaxInterPlans;
  // Keep only plans without launch warnings in the top K (the `corrected` model, metis and pruned): the
  // search and its counts stay the same, the top K holds the best plans a framework can launch.
  bool launchable_only = false;
};

struct SearchResult;

struct SearchProgress {
  std::int64_t steps = 0;
  std::int64_t inter_done = 0;   // inter-stage plans of this shard done
  std::int64_t inter_total = 0;  // inter-stage plans of this shard (with claim: of the whole search)
  std::int64_t costed = 0;
  bool has_best = false;
  double best_cost = 0;
  // The search so far, for a face that may end the search without its cooperation and keep what it found:
  // the result being filled (its top stays empty until the end) and the top K so far. Valid during the call
  // only; null where several threads or ranks search (their progress is combined).
  const SearchResult* so_far = nullptr;
  const std::vector<PlanRecord>* top_so_far = nullptr;
};

// Called after every inter-stage plan. Return false to stop the search (the result is then marked cancelled).
using ProgressFn = std::function<bool(const SearchProgress&)>;

// Why a search found few or no plans, or what it decided: a stable code and a sentence that names the option
// or file to change. The CLI and the page show the same text.
struct Reason {
  std::string code;
  std::string text;
};

struct SearchResult {
  Strategy strategy = Strategy::kMetis;
  CostModel cost_model = CostModel::kCorrected;
  std::int64_t count = 0;         // search steps, counted as the reference counts them
  std::int64_t costed_plans = 0;  // plans that got a cost
  std::int64_t cost_errors = 0;   // plans whose cost needed a missing profile entry (or, in `reference`, an
                                  // fb_sync of 0)
  std::int64_t inter_plans = 0;   // inter-stage plans searched
  std::int64_t skipped_candidates = 0;  // DFS candidates skipped because the search needed a missing entry
  // Bounded strategies: inter-stage plans skipped because a lower bound of their cost could not beat the
  // K-th best plan (they are not in inter_plans, which counts the plans searched).
  std::int64_t pruned_by_bound = 0;
  // DFS candidates skipped because the reference's memory estimate does not reach one of their stages (a
  // first node with fewer GPUs than later ones, in the `reference` model).
  std::int64_t skipped_no_memory_estimate = 0;
  std::int64_t skipped_no_layer_balance = 0;  // DFS candidates whose layers the balancer could not place
  std::int64_t out_of_memory = 0;             // DFS candidates short of memory on every partition attempt
  std::set<std::string> missing_keys;  // "TYPE tpT bsB" entries the search or the cost asked for and lacked
  std::vector<PlanRecord> top;
  std::vector<std::string> notes;  // the case's notes (decisions made on the user's behalf)
  // What the case and the cost model alone explain (the same in every shard); the reasons the counts explain
  // are worked out from them (see reasons.hpp).
  std::vector<Reason> case_reasons;
  bool cancelled = false;
};

// Number of inter-stage plans the search will visit (all shards), counted without building them: known before
// starting. Counting stops past 10^12 plans (the figure is then a lower bound).
std::int64_t count_inter_stage_plans(const Case& c);

// What makes a request impossible whatever the case (a shard that does not exist, options that do not go
// together), or nothing: run_search's own first check, for a caller that checks before it starts.
std::optional<Error> request_problem(const SearchRequest& request);

Outcome<SearchResult> run_search(const Case& c, const SearchRequest& request,
                                 const ProgressFn& progress = {});

// Fills the warnings of the result's top plans (run_search does it; results read back from JSON carry
// theirs).
void flag_launch_issues(const Case& c, SearchResult& result);

// Sums counts and merges the top K of shard results (by cost, then global index): the same as one run.
SearchResult merge_results(const std::vector<SearchResult>& shards, int top_k);

}  // namespace hetplan

// result_from_json, the inverse of result_json: round trips to the same bytes, merged shard results read back
// from their JSON print as one run does, and broken input gives an error naming the JSON path.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/json_values.hpp"
#include "hetplan/json_api.hpp"
#include "hetplan/search.hpp"
#include "synthetic_cases.hpp"

namespace hetplan {
namespace {

using internal::result_from_json_value;
using internal::result_json;

using testing::build;
using testing::table_row;

std::string text_of(const SearchResult& r, double elapsed_ms) {
  return result_json(r, elapsed_ms).dump();
}

// A result with every field set, the odd ones included: missing keys, notes, cost errors, a cancelled run.
SearchResult odd_result() {
  SearchResult r;
  r.strategy = Strategy::kPruned;
  r.cost_model = CostModel::kReference;
  r.count = 12;
  r.costed_plans = 3;
  r.cost_errors = 2;
  r.inter_plans = 4;
  r.skipped_candidates = 5;
  r.skipped_no_memory_estimate = 6;
  r.skipped_no_layer_balance = 7;
  r.out_of_memory = 8;
  r.case_reasons = {{"gpus_not_power_of_two", "a case's reason"}};
  r.missing_keys = {"A100 tp2 bs4", "V100 tp1 bs1"};
  r.notes = {"tp1_bs1 of V100 is missing: layers are balanced with A100", "second note"};
  r.cancelled = true;
  PlanRecord p;
  p.cost = 1234.5678901234567;
  p.node_sequence = {"V100", "A100"};
  p.device_groups = {4, 8};
  p.num_stage = 2;
  p.strategies = {{2, 2}, {1, 8}};
  p.batches = 16;
  p.layer_partition = {0, 3, 10};
  p.inter_plan_index = 9007199254740991;  // 2^53 - 1: the largest count allowed
  p.num_repartition = 1;
  r.top.push_back(p);
  p.cost = 2000;  // a whole number: written as 2000.0, read back as the same double
  p.intra_index = 1;
  r.top.push_back(p);
  return r;
}

TEST(ResultFromJson, RoundTripGivesTheSameBytes) {
  const SearchResult r = odd_result();
  const std::string text = text_of(r, 12.25);
  auto back = result_from_json(text, "result");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->elapsed_ms, 12.25);
  EXPECT_EQ(text_of(back->result, back->elapsed_ms), text);
  EXPECT_EQ(back->result.missing_keys, r.missing_keys);
  EXPECT_EQ(back->result.notes, r.notes);
  EXPECT_TRUE(back->result.cancelled);
  ASSERT_EQ(back->result.top.size(), 2U);
  EXPECT_EQ(back->result.top[0].intra_index, 0);  // numbered by position in "top"
  EXPECT_EQ(back->result.top[1].intra_index, 1);
}

TEST(ResultFromJson, ReadsAValueAtAPathToo) {
  nlohmann::ordered_json both;
  both["metis"] = result_json(odd_result(), 1);
  auto back = result_from_json_value(both["metis"], "shards", "[0].metis");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->result.count, 12);
}

// The results of the request's search in `shards` shards, each printed and read back (as the page's workers
// hand them over); empty after a failure.
std::vector<SearchResult> shards_read_back(const Case& c, SearchRequest req, int shards) {
  std::vector<SearchResult> parts;
  for (int i = 0; i < shards; ++i) {
    req.shard_index = i;
    req.shard_count = shards;
    auto part = run_search(c, req);
    EXPECT_TRUE(part.ok());
    if (!part.ok()) return {};
    auto back = result_from_json(text_of(*part, 0), "shard");
    EXPECT_TRUE(back.ok()) << back.error().message;
    if (!back.ok()) return {};
    parts.push_back(std::move(back->result));
  }
  return parts;
}

// Shards searched apart, printed, read back and merged print what one run prints: the page's workers do this.
TEST(ResultFromJson, MergedShardsReadBackEqualOneRun) {
  for (int row : {1, 3}) {
    auto c = build(table_row(row));
    ASSERT_TRUE(c.ok());
    for (auto strategy : {Strategy::kMetis, Strategy::kPruned}) {
      SearchRequest req;
      req.strategy = strategy;
      req.top_k = 10;
      auto whole = run_search(*c, req);
      ASSERT_TRUE(whole.ok());
      for (int shards : {2, 3}) {
        EXPECT_EQ(text_of(merge_results(shards_read_back(*c, req, shards), req.top_k), 0), text_of(*whole, 0))
            << "row " << row << ", " << to_string(strategy) << ", " << shards << " shards";
      }
    }
  }
}

// The reasons the counts give are worked out from the merged sums, the case's come through as they were: a
// case whose every candidate is skipped, and one without device groups.
TEST(ResultFromJson, MergedShardsExplainThemselvesAsOneRun) {
  testing::SyntheticCase first_small;
  first_small.layers = 15;
  first_small.gbs = 16;
  first_small.variance = 0.5;
  first_small.max_permute_len = 1;
  first_small.hostfile =
      "0.0.0.1 slots=2\n0.0.0.1 slots=2\n0.0.0.4 slots=4\n0.0.0.4 slots=4\n0.0.0.4 slots=4\n";
  testing::SyntheticCase no_groups = first_small;
  no_groups.variance = 2;
  for (const auto& s : {first_small, no_groups}) {
    auto c = build(s);
    ASSERT_TRUE(c.ok()) << c.error().message;
    SearchRequest req;
    req.cost_model = CostModel::kReference;
    auto whole = run_search(*c, req);
    ASSERT_TRUE(whole.ok());
    EXPECT_FALSE(whole->case_reasons.empty() && whole->skipped_no_memory_estimate == 0);
    EXPECT_EQ(text_of(merge_results(shards_read_back(*c, req, 3), req.top_k), 0), text_of(*whole, 0))
        << s.variance;
  }
}

std::string error_of(const std::string& text) {
  auto r = result_from_json(text, "shard");
  return r.ok() ? std::string("(no error)") : r.error().message;
}

// The result JSON of odd_result() with one edit: value set at a top-level key, or at a key of the first plan.
std::string edited(const std::string& key, const nlohmann::ordered_json& value, bool in_plan = false) {
  nlohmann::ordered_json j = result_json(odd_result(), 1);
  (in_plan ? j["top"][0] : j)[key] = value;
  return j.dump();
}

std::string without(const std::string& key) {
  nlohmann::ordered_json j = result_json(odd_result(), 1);
  j.erase(key);
  return j.dump();
}

TEST(ResultFromJson, ErrorsNameThePathAndWhatWasExpected) {
  EXPECT_EQ(error_of("{"),
            "shard: not valid JSON (line 1, column 2): syntax error while parsing object key - "
            "unexpected end of input; expected string literal");
  EXPECT_EQ(error_of("[]"),
            "shard: (top level): expected a result object {\"strategy\", \"count\", ..., "
            "\"top\"}, got []");
  EXPECT_EQ(error_of(without("count")),
            "shard: count: missing (expected a whole number from 0 to "
            "9007199254740992)");
  EXPECT_EQ(error_of(edited("count", -1)),
            "shard: count: expected a whole number from 0 to 9007199254740992, "
            "got -1");
  EXPECT_EQ(
      error_of(edited("strategy", "fast")),
      "shard: strategy: expected \"metis\", \"pruned\", \"bounded\", \"bounded-pruned\" or \"optimal\", got "
      "\"fast\"");
  EXPECT_EQ(error_of(edited("cost_model", 1)),
            "shard: cost_model: expected \"corrected\" or \"reference\", "
            "got 1");
  EXPECT_EQ(error_of(edited("cancelled", "no")), "shard: cancelled: expected true or false, got \"no\"");
  EXPECT_EQ(error_of(edited("notes", {1})), "shard: notes[0]: expected a string, got 1");
  EXPECT_EQ(error_of(edited("missing_profile_keys", "A100")),
            "shard: missing_profile_keys: expected an array of strings, got \"A100\"");
  EXPECT_EQ(error_of(edited("elapsed_ms", -3)), "shard: elapsed_ms: expected a number >= 0, got -3");
  EXPECT_EQ(error_of(edited("top", nullptr)), "shard: top: expected an array of plans, got null");
  EXPECT_EQ(error_of(edited("speed", 1)), "shard: speed: unknown field of a result");
}

TEST(ResultFromJson, PlanErrorsNameThePlan) {
  EXPECT_EQ(error_of(edited("cost", "cheap", true)), "shard: top[0].cost: expected a number, got \"cheap\"");
  EXPECT_EQ(error_of(edited("cost", nullptr, true)), "shard: top[0].cost: expected a number, got null");
  EXPECT_EQ(error_of(edited("strategies", {{1, 2, 3}}, true)),
            "shard: top[0].strategies[0]: expected a [dp, tp] pair, got [1,2,3]");
  EXPECT_EQ(error_of(edited("strategies", {{0, 2}}, true)),
            "shard: top[0].strategies[0][0]: expected a whole number from 1 to 2147483647, got 0");
  EXPECT_EQ(error_of(edited("layer_partition", {0, 1.5}, true)),
            "shard: top[0].layer_partition[1]: expected a whole number from 0 to 2147483647, got 1.5");
  EXPECT_EQ(error_of(edited("node_sequence", {"A100", 7}, true)),
            "shard: top[0].node_sequence[1]: expected a string, got 7");
  EXPECT_EQ(error_of(edited("intra_index", 0, true)), "shard: top[0].intra_index: unknown field of a result");
  nlohmann::ordered_json j = result_json(odd_result(), 1);
  j["top"][1] = 5;
  EXPECT_EQ(error_of(j.dump()), "shard: top[1]: expected a plan object, got 5");
}

}  // namespace
}  // namespace hetplan

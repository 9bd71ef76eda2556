// Launch warnings: plans the search returns that no framework launches as they are (tensor parallelism across
// nodes or GPU types, tp against the attention heads), the flags on a search's top plans, and keeping only
// launchable plans without changing the counts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/json_values.hpp"
#include "hetplan/json_api.hpp"
#include "hetplan/launch.hpp"
#include "hetplan/search.hpp"
#include "synthetic_cases.hpp"

namespace hetplan {
namespace {

using internal::result_from_json_value;
using internal::result_json;

// Row 1 of the published table: 4 V100 nodes then 4 A100 nodes of 4 GPUs, 32 attention heads.
Case row1() {
  auto c = testing::build(testing::table_row(1));
  EXPECT_TRUE(c.ok());
  return *c;
}

PlanRecord plan(std::vector<int> groups, std::vector<std::pair<int, int>> strategies) {
  PlanRecord p;
  p.node_sequence = {"A100", "V100"};
  p.device_groups = std::move(groups);
  p.num_stage = static_cast<int>(p.device_groups.size());
  p.strategies = std::move(strategies);
  return p;
}

std::vector<std::string> messages(const std::vector<LaunchWarning>& warnings) {
  std::vector<std::string> out;
  out.reserve(warnings.size());
  for (const auto& w : warnings) out.push_back(w.message);
  return out;
}

TEST(LaunchWarnings, TensorParallelismWithinANodeIsLaunchable) {
  const Case c = row1();
  EXPECT_TRUE(launch_warnings(c, plan({16, 16}, {{4, 4}, {4, 4}})).empty());
  EXPECT_TRUE(launch_warnings(c, plan({16, 16}, {{16, 1}, {8, 2}})).empty());
}

TEST(LaunchWarnings, TensorParallelismAcrossNodesAndTypes) {
  const Case c = row1();
  // Row 1's best plan: dp 1 x tp 32 over all 8 nodes of both types.
  const auto w = launch_warnings(c, plan({32}, {{1, 32}}));
  ASSERT_EQ(w.size(), 2U);
  EXPECT_EQ(w[0].issue, LaunchIssue::kTpAcrossNodes);
  EXPECT_EQ(w[1].issue, LaunchIssue::kTpAcrossTypes);
  EXPECT_EQ(w[0].stage, 1);
  EXPECT_EQ(messages(w),
            (std::vector<std::string>{
                "stage 1: tp 32 spans 8 nodes; tensor parallelism needs the fast links within a node",
                "stage 1: tp 32 mixes GPU types (A100, V100) in one tensor-parallel group"}));
  // tp 8 on the second stage: each group spans 2 nodes of one type.
  EXPECT_EQ(messages(launch_warnings(c, plan({16, 16}, {{4, 4}, {2, 8}}))),
            (std::vector<std::string>{
                "stage 2: tp 8 spans 2 nodes; tensor parallelism needs the fast links within a node"}));
  EXPECT_EQ(to_string(LaunchIssue::kTpAcrossNodes), std::string("tp_across_nodes"));
  EXPECT_EQ(to_string(LaunchIssue::kTpAcrossTypes), std::string("tp_across_types"));
}

TEST(LaunchWarnings, TensorParallelismAgainstTheAttentionHeads) {
  Case c = row1();
  c.model.attention_heads = 6;
  EXPECT_EQ(messages(launch_warnings(c, plan({16, 16}, {{4, 4}, {16, 1}}))),
            (std::vector<std::string>{"stage 1: tp 4 does not divide the 6 attention heads"}));
  c.model.attention_heads = 2;
  const auto w = launch_warnings(c, plan({16, 16}, {{4, 4}, {16, 1}}));
  ASSERT_EQ(w.size(), 1U);
  EXPECT_EQ(w[0].issue, LaunchIssue::kTpOverHeads);
  EXPECT_EQ(w[0].message, "stage 1: tp 4 is more than the 2 attention heads");
  EXPECT_EQ(to_string(LaunchIssue::kTpOverHeads), std::string("tp_over_heads"));
  EXPECT_EQ(to_string(LaunchIssue::kTpSplitsHeads), std::string("tp_splits_heads"));
}

TEST(LaunchWarnings, APlanThatDoesNotFitTheCaseHasNone) {
  EXPECT_TRUE(launch_warnings(row1(), plan({16}, {{1, 16}})).empty());
  EXPECT_TRUE(launch_warnings(row1(), plan({48, -16}, {{1, 48}, {1, 16}})).empty());
  EXPECT_TRUE(launch_warnings(row1(), plan({32}, {{1, 0}})).empty());
}

TEST(LaunchWarnings, TheSearchFlagsItsTopPlans) {
  const Case c = row1();
  SearchRequest request;
  request.top_k = 3;
  const auto r = run_search(c, request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->top.size(), 3U);
  for (const auto& p : r->top) EXPECT_EQ(messages(p.warnings), messages(launch_warnings(c, p)));
  EXPECT_EQ(r->top[0].warnings.size(), 2U);  // dp1 x tp32 over 8 nodes of two types
}

TEST(LaunchWarnings, LaunchableOnlyKeepsOtherPlansAndTheSameCounts) {
  const Case c = row1();
  for (const Strategy s : {Strategy::kMetis, Strategy::kPruned}) {
    SearchRequest request;
    request.strategy = s;
    request.top_k = 5;
    const auto all = run_search(c, request);
    request.launchable_only = true;
    const auto kept = run_search(c, request);
    ASSERT_TRUE(all.ok() && kept.ok());
    EXPECT_EQ(kept->count, all->count);
    EXPECT_EQ(kept->costed_plans, all->costed_plans);
    EXPECT_EQ(kept->inter_plans, all->inter_plans);
    ASSERT_EQ(kept->top.size(), 5U);
    for (const auto& p : kept->top) {
      EXPECT_TRUE(p.warnings.empty());
      EXPECT_GE(p.cost, all->top.front().cost);
    }
  }
}

TEST(LaunchWarnings, LaunchableOnlyGoesWithCorrectedMetisOrPruned) {
  const Case c = row1();
  SearchRequest request;
  request.launchable_only = true;
  request.cost_model = CostModel::kReference;
  const auto refused = run_search(c, request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(
      refused.error().message,
      "keeping only launchable plans goes with the corrected cost model and the metis or pruned strategy");
  request.cost_model = CostModel::kCorrected;
  request.strategy = Strategy::kBounded;
  EXPECT_FALSE(run_search(c, request).ok());
}

// "warnings" is written only for plans that have some, and read back as written.
TEST(LaunchWarnings, JsonCarriesThemOnlyWhenThereAreSome) {
  const Case c = row1();
  SearchRequest request;
  request.top_k = 1;
  auto flagged = run_search(c, request);
  request.launchable_only = true;
  auto clean = run_search(c, request);
  ASSERT_TRUE(flagged.ok() && clean.ok());
  const auto j = result_json(*flagged, 1.5);
  ASSERT_TRUE(j["top"][0].contains("warnings"));
  EXPECT_EQ(
      j["top"][0]["warnings"][0].dump(),
      R"({"kind":"tp_across_nodes","stage":1,"message":"stage 1: tp 32 spans 8 nodes; tensor parallelism )"
      R"(needs the fast links within a node"})");
  EXPECT_FALSE(result_json(*clean, 1.5)["top"][0].contains("warnings"));
  const auto back = result_from_json(j.dump(), "test");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(result_json(back->result, 1.5).dump(), j.dump());
}

TEST(LaunchWarnings, JsonRejectsAnUnknownWarning) {
  const std::string text =
      R"({"strategy":"metis","cost_model":"corrected","count":0,"costed_plans":0,"cost_errors":0,)"
      R"("inter_plans":0,"skipped_candidates":0,"skipped_no_memory_estimate":0,"skipped_no_layer_balance":0,)"
      R"("out_of_memory_candidates":0,"missing_profile_keys":[],"notes":[],"reasons":[],"no_plan":false,)"
      R"("cancelled":false,)"
      R"("elapsed_ms":0,"top":[{"cost":1,"node_sequence":["A"],"device_groups":[4],"num_stage":1,)"
      R"("strategies":[[1,4]],"batches":1,"layer_partition":[0,2],"inter_plan_index":0,"num_repartition":1,)"
      R"("warnings":[{"kind":"odd","stage":1,"message":"m"}]}]})";
  const auto r = result_from_json(text, "shard");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "shard: top[0].warnings[0].kind: expected \"tp_across_nodes\", \"tp_across_types\", "
            "\"tp_over_heads\" or "
            "\"tp_splits_heads\", got \"odd\"");
}

}  // namespace
}  // namespace hetplan

// The run layer (hetplan/run.hpp): options read with the messages every face shows, the strategy x trials
// loop, stops, refusals and merges of shard reports.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "hetplan/run.hpp"
#include "synthetic_cases.hpp"

namespace hetplan {
namespace {

RunHooks counting_clock() {
  RunHooks hooks;
  hooks.now_ms = [t = 0.0]() mutable { return t += 1; };
  return hooks;
}

std::string error_of(std::string_view options) {
  auto o = run_options_from_json(options);
  return o ? "" : o.error().message;
}

TEST(RunOptions, DefaultsAreThoseOfThePlanCommand) {
  auto o = run_options_from_json("");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->strategies, (std::vector<Strategy>{Strategy::kMetis, Strategy::kPruned}));
  EXPECT_EQ(o->cost_model, CostModel::kCorrected);
  EXPECT_EQ(o->top_k, 1);
  EXPECT_EQ(o->max_inter_plans, kDefaultMaxInterPlans);
}

TEST(RunOptions, EachBadFieldIsNamedWithWhatItTakes) {
  EXPECT_EQ(error_of("[]"), "options: expected a JSON object");
  EXPECT_EQ(error_of(R"({"top":1000001})"), "options.top: expected a whole number from 1 to 1000000");
  EXPECT_EQ(error_of(R"({"threads":0})"), "options.threads: expected a whole number from 1 to 1024");
  EXPECT_EQ(error_of(R"({"cost_model":"exact"})"),
            R"(options.cost_model: expected "corrected" or "reference")");
  EXPECT_EQ(error_of(R"({"strategy":"metis,fast"})").rfind("options.strategy: expected one or more of", 0),
            0U);
  EXPECT_EQ(error_of(R"({"shard_index":2,"shard_count":2})"),
            "options.shard_index: expected a whole number from 0 to shard_count - 1 (1), got 2");
  EXPECT_EQ(error_of(R"({"export":"megatron","export_rank":3,"top":2})"),
            "options.export_rank: expected a rank within top (2)");
  EXPECT_EQ(error_of(R"({"progress_interval_ms":-1})"),
            "options.progress_interval_ms: expected a number of milliseconds from 0 to 60000");
  EXPECT_EQ(error_of(R"({"topk":3})").rfind(R"(options: unknown field "topk" (known: strategy, )", 0), 0U);
}

TEST(RunOptions, StrategiesKeepTheirOrder) {
  auto o = run_options_from_json(R"({"strategy":"optimal,metis"})");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->strategies, (std::vector<Strategy>{Strategy::kOptimal, Strategy::kMetis}));
}

TEST(RunStrategies, RunsEachStrategyOverItsTrials) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c);
  RunOptions o;
  o.trials = 3;
  std::vector<Strategy> finished;
  auto hooks = counting_clock();
  hooks.finished = [&](const StrategyRun& r) { finished.push_back(r.result.strategy); };
  auto report = run_strategies(*c, o, hooks);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->runs.size(), 2U);
  EXPECT_TRUE(report->keyed);
  EXPECT_EQ(report->runs[0].result.count, 612);
  EXPECT_EQ(report->runs[1].result.count, 562);
  EXPECT_EQ(report->runs[0].trial_ms.size(), 3U);
  EXPECT_EQ(finished, (std::vector<Strategy>{Strategy::kMetis, Strategy::kPruned}));
}

TEST(RunStrategies, AStopKeepsWhatWasFoundMarkedCancelled) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c);
  RunOptions o;
  int calls = 0;
  auto hooks = counting_clock();
  hooks.stop = [&calls] { return ++calls > 40; };
  auto report = run_strategies(*c, o, hooks);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->runs.size(), 1U);  // the stop came during metis: pruned never started
  EXPECT_TRUE(report->runs[0].result.cancelled);
  EXPECT_LT(report->runs[0].result.count, 612);
  EXPECT_TRUE(report->keyed);
}

// The plans of a result's top: their inter-stage plan and cost (the JSON of a result does not keep the
// order a plan had among those of its inter-stage plan).
std::vector<std::pair<std::int64_t, double>> top_of(const SearchResult& r) {
  std::vector<std::pair<std::int64_t, double>> top;
  for (const auto& p : r.top) top.emplace_back(p.inter_plan_index, p.cost);
  return top;
}

// Every progress call of the first trial is due: the run so far goes out at each change of the top K.
RunOptions every_call(RunOptions o) {
  o.progress.interval_ms = 0;
  o.progress.clock_stride = 1;
  return o;
}

TEST(RunStrategies, SendsTheRunSoFarEachTimeTheTopKChanges) {
  auto c = testing::build(testing::table_row(2));
  ASSERT_TRUE(c);
  RunOptions o = every_call(RunOptions{});
  o.top_k = 4;
  std::vector<RunReport> sent;
  auto hooks = counting_clock();
  hooks.so_far = [&sent](const RunReport& r) { sent.push_back(r); };
  auto report = run_strategies(*c, o, hooks);
  ASSERT_TRUE(report);
  ASSERT_GE(sent.size(), 4U);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const RunReport& r = sent[i];
    EXPECT_TRUE(r.keyed);
    const SearchResult& current = r.runs.back().result;
    EXPECT_TRUE(current.cancelled);
    EXPECT_FALSE(current.top.empty());
    if (r.runs.size() == 2) {  // during pruned, metis is there whole
      EXPECT_EQ(r.runs[0].result.count, report->runs[0].result.count);
      EXPECT_FALSE(r.runs[0].result.cancelled);
    }
    if (i > 0 && sent[i - 1].runs.size() == r.runs.size()) {
      EXPECT_NE(top_of(current), top_of(sent[i - 1].runs.back().result)) << "sent " << i << " again";
    }
  }
  // The last run so far of each strategy holds the top K the strategy ended with.
  for (std::size_t s = 0; s < 2; ++s) {
    const RunReport* last = nullptr;
    for (const auto& r : sent) {
      if (r.runs.size() == s + 1) last = &r;
    }
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(top_of(last->runs.back().result), top_of(report->runs[s].result));
    EXPECT_EQ(last->runs.back().result.top.front().cost, report->runs[s].result.top.front().cost);
    EXPECT_LE(last->runs.back().result.count, report->runs[s].result.count);
  }
}

TEST(MergeSoFar, ShardsEndedEarlyGiveWhatEachHadBegun) {
  auto c = testing::build(testing::table_row(2));
  ASSERT_TRUE(c);
  RunOptions o = every_call(RunOptions{});
  o.top_k = 4;
  auto whole = run_strategies(*c, o, counting_clock());
  ASSERT_TRUE(whole);
  // Shard 0 as if ended during metis (its last metis-only run so far), shard 1 during pruned.
  std::string parts;
  for (int i = 0; i < 2; ++i) {
    RunOptions shard = o;
    shard.shard_index = i;
    shard.shard_count = 2;
    std::string last;
    auto hooks = counting_clock();
    hooks.so_far = [&](const RunReport& r) {
      if (i == 1 || r.runs.size() == 1) last = run_report_json(r, shard).text;
    };
    ASSERT_TRUE(run_strategies(*c, shard, hooks));
    ASSERT_FALSE(last.empty());
    parts += (parts.empty() ? "[" : ",") + last;
  }
  auto merged = merge_so_far_array(parts + "]", "runs so far", o);
  ASSERT_TRUE(merged) << merged.error().message;
  ASSERT_EQ(merged->runs.size(), 2U);
  // metis: shard 0's last top is its final one and shard 1's metis was whole: the top of the whole search.
  EXPECT_TRUE(merged->runs[0].result.cancelled);
  EXPECT_EQ(top_of(merged->runs[0].result), top_of(whole->runs[0].result));
  EXPECT_EQ(merged->runs[0].workers, 2);
  EXPECT_TRUE(merged->runs[1].result.cancelled);
  EXPECT_EQ(merged->runs[1].workers, 1);  // only shard 1 had begun pruned
  // Shard files must hold every strategy: the same parts are refused there.
  auto strict = merge_shard_array(parts + "]", "shard results", o);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().message,
            R"(shard results: [0]: expected {"metis": R, "pruned": R} (one R per strategy of the option))");
}

TEST(RunStrategies, RefusesMetisOverTheLimitButNotTheBoundedSearch) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c);
  RunOptions o;
  o.strategies = {Strategy::kMetis};
  o.max_inter_plans = 100;
  auto refused = run_strategies(*c, o, counting_clock());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(refused.error().inter_plans, 176);
  EXPECT_EQ(refused.error().limit, 100);
  o.strategies = {Strategy::kBounded};
  auto bounded = run_strategies(*c, o, counting_clock());
  ASSERT_TRUE(bounded);
  EXPECT_EQ(bounded->runs[0].result.inter_plans + bounded->runs[0].result.pruned_by_bound, 176);
  // With both, nothing runs: the bounded search before the refused one would be printed and then lost.
  o.strategies = {Strategy::kBounded, Strategy::kMetis};
  int finished = 0;
  RunHooks hooks = counting_clock();
  hooks.finished = [&finished](const StrategyRun&) { ++finished; };
  auto both = run_strategies(*c, o, hooks);
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(finished, 0);
}

TEST(MergeShardReports, ShardsGiveTheReportOfOneRun) {
  auto c = testing::build(testing::table_row(2));
  ASSERT_TRUE(c);
  RunOptions o;
  o.top_k = 4;
  auto whole = run_strategies(*c, o, counting_clock());
  ASSERT_TRUE(whole);
  std::vector<ShardPart> parts;
  for (int i = 0; i < 3; ++i) {
    RunOptions shard = o;
    shard.shard_index = i;
    shard.shard_count = 3;
    auto r = run_strategies(*c, shard, counting_clock());
    ASSERT_TRUE(r);
    parts.push_back({run_report_json(*r, shard).text, "part-" + std::to_string(i) + ".json", ""});
  }
  auto merged = merge_shard_reports(parts, o);
  ASSERT_TRUE(merged) << merged.error().message;
  for (auto& run : whole->runs) run.elapsed_ms = 0;
  for (auto& run : merged->runs) run.elapsed_ms = 0;
  EXPECT_EQ(run_report_json(*merged, o).text, run_report_json(*whole, o).text);
}

TEST(MergeShardReports, APartOfAnotherStrategyIsNamed) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c);
  RunOptions o;
  o.strategies = {Strategy::kMetis};
  auto r = run_strategies(*c, o, counting_clock());
  ASSERT_TRUE(r);
  RunOptions both;
  auto merged = merge_shard_reports({{run_report_json(*r, o).text, "part-0.json", ""}}, both);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().message.rfind("part-0.json: ", 0), 0U) << merged.error().message;
}

TEST(RunHelpers, WorkersAndCounts) {
  EXPECT_EQ(workers_for(Strategy::kMetis, 176, 8), 8);
  EXPECT_EQ(workers_for(Strategy::kMetis, 3, 8), 3);
  EXPECT_EQ(workers_for(Strategy::kBounded, 176, 8), 1);
  EXPECT_EQ(format_count(1714619), "1,714,619");
  EXPECT_EQ(format_count(0), "0");
  SearchProgress a;
  a.steps = 5;
  a.inter_total = 10;
  a.has_best = true;
  a.best_cost = 7;
  SearchProgress b;
  b.steps = 3;
  b.inter_total = 10;
  b.has_best = true;
  b.best_cost = 4;
  const auto sum = combine_progress({a, b});
  EXPECT_EQ(sum.steps, 8);
  EXPECT_EQ(sum.inter_total, 10);
  EXPECT_EQ(sum.best_cost, 4);
}

}  // namespace
}  // namespace hetplan

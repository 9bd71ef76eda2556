// The WebAssembly module's JSON-text API (wasm/src/api.hpp), tested natively: it is plain C++ apart from the
// embind layer, so its replies, errors and merges can be checked here as the page receives them.
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api.hpp"

namespace hetplan::wasm {
namespace {

using nlohmann::json;

// Table 1's first row as the page's synthetic spec: 16 V100 (4 nodes) + 16 A100 (4 nodes), 10 layers.
const char* kRow1Spec = R"({
  "types": [
    {"name": "V100", "memory": 16, "intra_bandwidth": 50, "inter_bandwidth": 10, "time_factor": 3.5,
     "nodes": 4, "gpus_per_node": 4},
    {"name": "A100", "memory": 80, "intra_bandwidth": 46, "inter_bandwidth": 10, "time_factor": 1,
     "nodes": 4, "gpus_per_node": 4}],
  "layers": 10, "max_batch_size": 128,
  "args": {"num_layers": 10, "gbs": 128, "max_profiled_tp_degree": 128, "max_profiled_batch_size": 128,
           "min_group_scale_variance": 1, "max_permute_len": 128}})";

double fake_clock() {
  static double t = 0;
  return t += 0.25;
}

std::string row1_case() {
  const auto reply = json::parse(synthetic_case(kRow1Spec));
  EXPECT_TRUE(reply.at("ok").get<bool>()) << reply.dump();
  return reply.at("case").dump();
}

// The reply with every elapsed time set to 0: they are the only figures that differ between runs.
std::string without_times(const std::string& text) {
  static const std::regex elapsed(R"("elapsed_ms":[-0-9.e+]+)");
  return std::regex_replace(text, elapsed, R"("elapsed_ms":0)");
}

// The text under "result" of an ok reply, cut out as it is (not re-serialised).
std::string result_text(const std::string& reply) {
  const std::string prefix = R"({"ok":true,"result":)";
  EXPECT_EQ(reply.rfind(prefix, 0), 0U) << reply.substr(0, 200);
  return reply.substr(prefix.size(), reply.size() - prefix.size() - 1);
}

TEST(WasmApi, RunGivesThePublishedStepsAndProgressOfTheWholeSearch) {
  std::vector<RunProgress> events;
  const auto reply = run_search(row1_case(), R"({"strategy":"both","top":2})", fake_clock,
                                [&](const RunProgress& e, std::string_view) { events.push_back(e); });
  const auto j = json::parse(reply);
  ASSERT_TRUE(j.at("ok").get<bool>()) << reply;
  EXPECT_EQ(j["result"]["metis"]["count"], 612);
  EXPECT_EQ(j["result"]["pruned"]["count"], 562);
  EXPECT_EQ(j["result"]["metis"]["top"].size(), 2U);
  ASSERT_GE(events.size(), 4U);
  // The first event comes before any work, with the size of the search; the last of each strategy is final.
  EXPECT_EQ(events.front().strategy, Strategy::kMetis);
  EXPECT_EQ(events.front().progress.steps, 0);
  EXPECT_EQ(events.front().progress.inter_total, 176);
  EXPECT_FALSE(events.front().final);
  EXPECT_TRUE(events.back().final);
  EXPECT_EQ(events.back().strategy, Strategy::kPruned);
  EXPECT_EQ(events.back().progress.steps, 562);
}

TEST(WasmApi, ShardsMergeIntoTheBytesOfOneRun) {
  const auto c = row1_case();
  const auto whole = run_search(c, R"({"strategy":"both","top":5})", fake_clock, {});
  std::string parts = "[";
  for (int i = 0; i < 3; ++i) {
    const auto options =
        R"({"strategy":"both","top":5,"shard_count":3,"shard_index":)" + std::to_string(i) + "}";
    parts += (i ? "," : "") + result_text(run_search(c, options, fake_clock, {}));
  }
  parts += "]";
  const auto merged = merge_results(parts, R"({"strategy":"both","top":5})", "");
  EXPECT_EQ(without_times(merged), without_times(whole));
}

TEST(WasmApi, ACaseOverTheLimitIsRefusedWithItsKindAndCounts) {
  const auto j =
      json::parse(run_search(row1_case(), R"({"strategy":"metis","max_inter_plans":100})", fake_clock, {}));
  EXPECT_FALSE(j.at("ok").get<bool>());
  EXPECT_EQ(j["kind"], "too_large");
  EXPECT_EQ(j["inter_plans"], 176);
  EXPECT_EQ(j["limit"], 100);
  EXPECT_EQ(j["error"].get<std::string>().rfind(
                "this case has 176 inter-stage plans, more than the limit of 100 (max_inter_plans); ", 0),
            0U)
      << j["error"];
}

TEST(WasmApi, BadInputIsAnInvalidErrorThatNamesTheField) {
  auto j = json::parse(run_search(row1_case(), R"({"top":0})", fake_clock, {}));
  EXPECT_EQ(j["kind"], "invalid");
  EXPECT_EQ(j["error"], "options.top: expected a whole number from 1 to 1000000");
  j = json::parse(validate_case("{"));
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["kind"], "invalid");
  j = json::parse(merge_results("[]", "{}", ""));
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["kind"], "invalid");
}

TEST(WasmApi, ValidateSummarisesTheCase) {
  const auto j = json::parse(validate_case(row1_case()));
  ASSERT_TRUE(j.at("ok").get<bool>());
  EXPECT_EQ(j["summary"]["gpus"], 32);
  EXPECT_EQ(j["summary"]["inter_stage_plans"], 176);
  EXPECT_EQ(j["summary"]["types"].size(), 2U);
}

TEST(WasmApi, WarmUpRunsAtLeastOneSearchAndStopsAtItsBudget) {
  double t = 0;
  const int searches = warm_up(10, [&t] { return t += 1; });
  // The clock advances 1 ms per reading: one reading sets the deadline, one follows each search.
  EXPECT_EQ(searches, 10);
}

}  // namespace
}  // namespace hetplan::wasm

namespace hetplan::wasm {
namespace {

TEST(WasmApi, ASweepsGridAndTableAreTheCommandsRows) {
  const auto points =
      nlohmann::json::parse(sweep_points(kRow1Spec, R"(["gbs=64,128","types.A100.nodes=0,4"])"));
  ASSERT_TRUE(points.at("ok").get<bool>()) << points.dump();
  ASSERT_EQ(points["points"].size(), 4U);
  EXPECT_EQ(points["points"][1]["values"], nlohmann::json({64, 4}));
  std::string results = "[";
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& p = points["points"][i];
    results += i == 0 ? "" : ",";
    if (p.contains("error")) {
      results += nlohmann::json{{"error", p["error"]}}.dump();
    } else {
      results +=
          result_text(run_search(p["case"].get<std::string>(), R"({"strategy":"metis"})", fake_clock, {}));
    }
  }
  results += "]";
  const auto table = nlohmann::json::parse(
      sweep_table(R"(["gbs=64,128","types.A100.nodes=0,4"])", R"({"strategy":"metis"})", results));
  ASSERT_TRUE(table.at("ok").get<bool>()) << table.dump();
  const std::string csv = table["table"]["csv"];
  EXPECT_NE(csv.find("\n64,4,metis,897.5806713104248,1,\"(1,32)\",32,577,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n128,4,metis,1793.551254272461,1,\"(1,32)\",32,612,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n128,0,metis,,,,,0,\"No plan fits in memory: "), std::string::npos) << csv;
  EXPECT_EQ(nlohmann::json::parse(table["table"]["json"].get<std::string>())["points"][3]["best"][0]["steps"],
            612);

  // With optimal among the strategies, each other R carries its gap to the optimum: the table reads past it.
  const std::string with_gaps = "[" +
                                result_text(run_search(points["points"][3]["case"].get<std::string>(),
                                                       R"({"strategy":"bounded,optimal"})", fake_clock, {})) +
                                "]";
  ASSERT_NE(with_gaps.find("gap_to_optimum_ms"), std::string::npos);
  const auto gaps =
      nlohmann::json::parse(sweep_table(R"(["gbs=128"])", R"({"strategy":"bounded,optimal"})", with_gaps));
  ASSERT_TRUE(gaps.at("ok").get<bool>()) << gaps.dump();
  EXPECT_EQ(nlohmann::json::parse(gaps["table"]["json"].get<std::string>())["points"][0]["best"].size(), 2U);

  const auto bad = nlohmann::json::parse(sweep_points(kRow1Spec, R"(["types.B200.nodes=1"])"));
  EXPECT_EQ(bad["error"], "--vary types.B200.nodes: the input has no types.B200");
}

}  // namespace
}  // namespace hetplan::wasm

namespace hetplan::wasm {
namespace {

TEST(WasmApi, APlansExportIsTheRunsExportOfThatRank) {
  const auto c = row1_case();
  for (const char* target : {"megatron", "flagscale", "deepspeed"}) {
    const std::string options = std::string(R"({"strategy":"metis","top":3,"explain":true,"export":")") +
                                target + R"(","export_rank":2})";
    const auto run = nlohmann::json::parse(run_search(c, options, fake_clock, {}));
    ASSERT_TRUE(run.at("ok").get<bool>()) << run.dump();
    auto expected = run["result"]["export"];
    expected.erase("rank");
    // The plan as the page holds it, its explanation included.
    const std::string plan = run["result"]["top"][1].dump();
    ASSERT_NE(plan.find("\"explain\""), std::string::npos);
    const auto x =
        nlohmann::json::parse(export_plan(c, plan, std::string(R"({"export":")") + target + "\"}"));
    ASSERT_TRUE(x.at("ok").get<bool>()) << x.dump();
    EXPECT_EQ(x["export"], expected) << target;
  }
  const auto bad = nlohmann::json::parse(export_plan(c, "{}", R"({"export":"megatron"})"));
  EXPECT_EQ(bad["kind"], "invalid");
  EXPECT_EQ(nlohmann::json::parse(export_plan(c, "{}", "{}"))["error"],
            "options.export: expected a target to export to");
}

}  // namespace
}  // namespace hetplan::wasm

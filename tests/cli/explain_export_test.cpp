// `hetplan plan --explain [RANK]` and `--export TARGET [RANK]`: tables, JSON keys (added only when asked, so
// the plain JSON keeps its bytes), refusals and their exit code, and bad values.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command.hpp"

namespace hetplan::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PlanRequests : public CliTest {
 protected:
  CommandResult plan(std::vector<std::string> args) {
    args.insert(args.begin(), {"plan", "--case", make_row1_case("row1").string(), "--threads", "1"});
    return run(args);
  }
};

TEST_F(PlanRequests, ExplainPrintsTermsStagesAndMemory) {
  const auto r = plan({"--strategy", "metis", "--top", "2", "--explain", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("plan 2 explained (cost model corrected"));
  for (const char* text : {"pipeline bubble", "pipeline compute", "total (the plan's cost)", "time/mb ms",
                           "memory per GPU (MiB", "the search's memory check", "A100's profile"}) {
    EXPECT_THAT(r.out, HasSubstr(text));
  }
}

TEST_F(PlanRequests, ExplainJsonOnlyWhenAsked) {
  const auto plain = plan({"--strategy", "pruned", "--top", "3", "--json"});
  const auto asked = plan({"--strategy", "pruned", "--top", "3", "--json", "--explain"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(asked.exit_code, 0) << asked.err;
  EXPECT_THAT(plain.out, Not(HasSubstr("\"explain\"")));
  auto j = nlohmann::ordered_json::parse(asked.out);
  ASSERT_EQ(j["top"].size(), 3U);
  for (auto& p : j["top"]) {
    const auto& e = p["explain"];
    double sum = 0;
    for (const auto& t : e["terms"]) sum += t["ms"].get<double>();
    EXPECT_EQ(sum, p["cost"].get<double>());  // the terms, added in order, give the printed cost
    EXPECT_EQ(e["total_ms"], p["cost"]);
    p.erase("explain");
  }
  // Without the new key, the same plans (elapsed_ms apart).
  auto base = nlohmann::ordered_json::parse(plain.out);
  EXPECT_EQ(j["top"], base["top"]);
}

TEST_F(PlanRequests, ExportPrintsFiles) {
  const auto r = plan({"--strategy", "metis", "--export", "megatron"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("==> megatron-args.txt <==\n--tensor-model-parallel-size 32\n"));
  EXPECT_THAT(r.out,
              HasSubstr("==> nodes.txt <==\n# node_rank address gpus type ranks stages\n0 0.0.0.4 4 A100"));
}

// Row 1's best plan puts A100 and V100 in one stage: FlagScale's meshes have one type each.
TEST_F(PlanRequests, RefusedExportSaysWhyAndWhoCanTakeIt) {
  const auto r = plan({"--strategy", "metis", "--export", "flagscale"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("export of plan 1 to flagscale refused: stage 1 holds GPUs of several types"));
  EXPECT_THAT(r.out, HasSubstr("targets that can take it: megatron, deepspeed"));
  const auto j = plan({"--strategy", "metis", "--export", "flagscale", "1", "--json"});
  EXPECT_EQ(j.exit_code, 1);
  const auto x = nlohmann::ordered_json::parse(j.out)["export"];
  EXPECT_EQ(x["rank"], 1);
  EXPECT_EQ(x["refused"], true);
  EXPECT_EQ(x["can_take"], nlohmann::ordered_json::array({"megatron", "deepspeed"}));
}

TEST_F(PlanRequests, DeepSpeedJsonCarriesTheFiles) {
  const auto r = plan({"--strategy", "metis", "--export", "deepspeed", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto x = nlohmann::ordered_json::parse(r.out)["export"];
  EXPECT_EQ(x["target"], "deepspeed");
  ASSERT_EQ(x["files"].size(), 2U);
  EXPECT_EQ(x["files"][0]["name"], "ds_config.json");
  EXPECT_EQ(x["files"][1]["name"], "hostfile");
}

TEST_F(PlanRequests, BadValuesAreUsageErrors) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--explain", "2"},
                                                                {"--explain", "0"},
                                                                {"--explain", "x"},
                                                                {"--export", "torchtitan"},
                                                                {"--export", "megatron", "2"},
                                                                {"--export", "megatron", "-1"}}) {
    const auto r = plan(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1];
    EXPECT_THAT(r.err, HasSubstr("hetplan: error: "));
  }
}

TEST_F(PlanRequests, HelpNamesTheOptions) {
  const auto r = run({"plan", "--help"});
  ASSERT_EQ(r.exit_code, 0);
  for (const char* text : {"--explain", "[RANK]", "--export", "TARGET [RANK]", "megatron", "flagscale",
                           "deepspeed", "--untied-embeddings"}) {
    EXPECT_THAT(r.out, HasSubstr(text));
  }
}

}  // namespace
}  // namespace hetplan::cli_test

// `hetplan plan`: the JSON face, determinism across threads and loaders, and the golden cases end to end.
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "json_compare.hpp"

namespace hetplan::cli_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

// elapsed_ms is the one field allowed to differ between equal runs.
json without_times(json j) {
  if (j.is_object()) {
    j.erase("elapsed_ms");
    for (auto& [key, value] : j.items()) value = without_times(value);
  }
  return j;
}

std::vector<std::string> keys_of(const nlohmann::ordered_json& j) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  return keys;
}

class Plan : public CliTest {
 protected:
  // Runs plan --json and returns its parsed output (order of keys kept).
  nlohmann::ordered_json plan_json(std::vector<std::string> args) {
    args.insert(args.begin(), "plan");
    args.emplace_back("--json");
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "expected one line of compact JSON";
    auto j = nlohmann::ordered_json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << r.out.substr(0, 2000);
    return j;
  }
};

TEST_F(Plan, JsonHasBothStrategiesMetisFirst) {
  const auto dir = make_row1_case("row1");
  const auto j = plan_json({"--case", dir.string(), "--threads", "1"});
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(keys_of(j), (std::vector<std::string>{"metis", "pruned"}));
  for (const char* s : {"metis", "pruned"}) {
    const auto& r = j[s];
    for (const char* key : {"strategy", "cost_model", "count", "costed_plans", "elapsed_ms", "top"}) {
      EXPECT_TRUE(r.contains(key)) << s << " lacks " << key;
    }
    EXPECT_EQ(r["strategy"], s);
    EXPECT_EQ(r["cost_model"], "corrected");
    ASSERT_TRUE(r["top"].is_array());
    EXPECT_EQ(r["top"].size(), 1U);
  }
  // Row 1 of the published table.
  EXPECT_EQ(j["metis"]["count"], 612);
  EXPECT_EQ(j["pruned"]["count"], 562);
}

TEST_F(Plan, OneStrategyPrintsItsResultAlone) {
  const auto dir = make_row1_case("row1");
  const auto j =
      plan_json({"--case", dir.string(), "--strategy", "pruned", "--top", "3", "--cost-model", "reference"});
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["strategy"], "pruned");
  EXPECT_EQ(j["cost_model"], "reference");
  EXPECT_EQ(j["count"], 562);
  EXPECT_EQ(j["top"].size(), 3U);
}

TEST_F(Plan, ThreadCountDoesNotChangeTheResult) {
  const auto dir = make_row1_case("row1");
  const auto one = plan_json({"--case", dir.string(), "--threads", "1", "--top", "10"});
  for (const char* threads : {"2", "3", "8"}) {
    const auto many = plan_json({"--case", dir.string(), "--threads", threads, "--top", "10"});
    EXPECT_EQ(without_times(json(one)).dump(), without_times(json(many)).dump()) << threads << " threads";
  }
}

TEST_F(Plan, TrialsReportTheSameResult) {
  const auto dir = make_row1_case("row1");
  const auto once = plan_json({"--case", dir.string(), "--strategy", "metis"});
  const auto thrice = plan_json({"--case", dir.string(), "--strategy", "metis", "--trials", "3"});
  EXPECT_EQ(without_times(json(once)).dump(), without_times(json(thrice)).dump());
}

TEST_F(Plan, ThreeWaysOfGivingTheCaseAgree) {
  const auto dir = make_row1_case("row1");
  const auto from_folder = without_times(json(plan_json({"--case", dir.string(), "--top", "5"})));

  // The same case as separate files, with profiles written by gen-profiles.
  const auto profiles = scratch_ / "profiles";
  ASSERT_EQ(run({"gen-profiles", "--layers", "10", "--max-bs", "128", "--out", profiles.string()}).exit_code,
            0);
  const auto from_files = without_times(json(plan_json(
      {"--hostfile", (dir / "hostfile").string(), "--clusterfile", (dir / "clusterfile.json").string(),
       "--profiles", profiles.string(), "--num-layers", "10", "--gbs", "128", "--top", "5"})));
  EXPECT_EQ(from_folder.dump(), from_files.dump());

  // And as the page's case JSON.
  json case_json;
  case_json["hostfile"] = read_file(dir / "hostfile");
  case_json["clusterfile"] = json::parse(read_file(dir / "clusterfile.json"));
  case_json["synthetic"] = {{"layers", 10}, {"max_batch_size", 128}};
  case_json["args"] = json::parse(read_file(dir / "args.json"));
  const auto file = scratch_ / "case.json";
  write_file(file, case_json.dump(2));
  const auto from_json = without_times(json(plan_json({"--case-json", file.string(), "--top", "5"})));
  EXPECT_EQ(from_folder.dump(), from_json.dump());
}

TEST_F(Plan, HumanOutputShowsCountersAndPlans) {
  const auto dir = make_row1_case("row1");
  const auto r = run({"plan", "--case", dir.string(), "--top", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* text :
       {"metis", "pruned", "steps", "plans costed", "cost errors", "612", "562", "rank", "node sequence",
        "device groups", "strategies (dp,tp)", "layer partition", "32 GPUs"}) {
    EXPECT_THAT(r.out, HasSubstr(text));
  }
  EXPECT_EQ(r.err, "");  // no progress line when stderr is not a terminal
}

// Every golden case except row 4 (a benchmark-sized run), end to end through the CLI with the reference cost
// model: counts, costed plans and the five cheapest plans as the reference found them.
class GoldenPlan : public Plan, public ::testing::WithParamInterface<std::string> {};

TEST_P(GoldenPlan, MatchesTheReference) {
  const auto golden = golden_dir();
  if (golden.empty())
    GTEST_SKIP() << "no ../shared/golden next to the source tree (" << HETPLAN_SHARED_DIR << ")";
  const auto dir = golden / GetParam();
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " is not in this copy of ../shared";
  const auto expected = json::parse(read_file(dir / "expected.json"));

  const auto one =
      json(plan_json({"--case", dir.string(), "--cost-model", "reference", "--top", "5", "--threads", "1"}));
  const auto two =
      json(plan_json({"--case", dir.string(), "--cost-model", "reference", "--top", "5", "--threads", "2"}));
  EXPECT_EQ(without_times(one).dump(), without_times(two).dump()) << "1 and 2 threads differ";

  for (const char* s : {"metis", "pruned"}) {
    SCOPED_TRACE(s);
    const auto& want = expected[s];
    const auto& got = one[s];
    EXPECT_EQ(got["count"], want["count"]);
    EXPECT_EQ(got["costed_plans"], want["num_costed_plans"]);
    ASSERT_TRUE(got["top"].is_array());
    ASSERT_EQ(got["top"].size(), want["top5"].size());
    for (std::size_t i = 0; i < want["top5"].size(); ++i) {
      json w = want["top5"][i];
      json g = got["top"][i];
      // Compare the fields the reference records; the index only if our JSON carries it.
      if (!g.contains("inter_plan_index")) w.erase("inter_plan_index");
      for (auto it = g.begin(); it != g.end();) {
        it = w.contains(it.key()) ? std::next(it) : g.erase(it);
      }
      EXPECT_EQ(json_difference(w, g, 1e-9), "") << "plan " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenPlan,
                         ::testing::Values("table1-row1", "table1-row2", "table1-row3", "synth-l8-g16",
                                           "synth-l10-g32-perm2", "synth-l12-g8-gbs64-var0",
                                           "synth3-a100-v100-t4-l8-g16", "real-opt350-a100-v100-g16",
                                           "real-gptneo27-gh200-a100-2v100-g8"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (auto& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace hetplan::cli_test

namespace hetplan::cli_test {
namespace {

TEST_F(Plan, BoundedStrategiesGiveTheSamePlansAndCountWhatTheyRuleOut) {
  const auto dir = make_row1_case("row1");
  const auto j = plan_json({"--case", dir.string(), "--strategy", "metis,bounded,bounded-pruned,optimal",
                            "--top", "3", "--threads", "1"});
  EXPECT_EQ(keys_of(j), (std::vector<std::string>{"metis", "bounded", "bounded-pruned", "optimal"}));
  EXPECT_EQ(j["bounded"]["top"], j["metis"]["top"]);
  EXPECT_FALSE(j["metis"].contains("pruned_by_bound"));
  for (const char* s : {"bounded", "bounded-pruned", "optimal"}) {
    EXPECT_EQ(j[s]["inter_plans"].get<int>() + j[s]["pruned_by_bound"].get<int>(), 176) << s;
  }
  // Row 1's best plan is the cheapest that fits: no gap.
  EXPECT_EQ(j["metis"]["gap_to_optimum_ms"], 0.0);
  EXPECT_EQ(j["metis"]["gap_to_optimum_percent"], 0.0);
  EXPECT_FALSE(j["optimal"].contains("gap_to_optimum_ms"));
}

TEST_F(Plan, UnknownStrategyNamesTheChoices) {
  const auto r = run({"plan", "--strategy", "metis,fastest", "--num-layers", "2", "--gbs", "2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown strategy 'fastest': expected metis, pruned, both, bounded, "
                               "bounded-pruned or optimal (comma-separated)"));
}

TEST_F(Plan, TableShowsTheGapToTheOptimum) {
  const auto dir = make_row1_case("row1");
  const auto r = run({"plan", "--case", dir.string(), "--strategy", "metis,optimal", "--threads", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("gap to the optimum (1793.5513 ms, the cheapest plan that fits in memory)"));
  EXPECT_THAT(r.out, HasSubstr("ruled out by bound"));
}

}  // namespace
}  // namespace hetplan::cli_test

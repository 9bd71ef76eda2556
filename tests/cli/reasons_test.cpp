// `hetplan plan` says why a search found few or no plans: the reasons in the result, the notes printed, the
// counters under their true names, and exit code 3 when a search found no plan.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command.hpp"

namespace hetplan::cli_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr int kExitNoPlan = 3;

// V100 on 0.0.0.1, A100 on 0.0.0.4.
const char* const kClusterfile = R"({
  "0.0.0.1": {"instance_type": "V100", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 16},
  "0.0.0.4": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46, "memory": 80}
})";

struct Node {
  const char* ip;
  int gpus;
};

// The cases of the issue: synthetic A100 and V100 profiles (gen-profiles), 15 layers, gbs 16, largest tp and
// micro-batch 3, permute length 1.
class Reasons : public CliTest {
 protected:
  fs::path make_case(const std::string& name, const std::vector<Node>& nodes, const std::string& variance,
                     const std::string& clusterfile = kClusterfile) {
    const fs::path dir = scratch_ / name;
    fs::create_directories(dir);
    std::string hostfile;
    for (const Node& n : nodes) hostfile += std::string(n.ip) + " slots=" + std::to_string(n.gpus) + "\n";
    write_file(dir / "hostfile", hostfile);
    write_file(dir / "clusterfile.json", clusterfile);
    write_file(dir / "args.json", R"({"num_layers": 15, "gbs": 16, "max_profiled_tp_degree": 3,
      "max_profiled_batch_size": 3, "min_group_scale_variance": )" +
                                      variance + R"(, "max_permute_len": 1})");
    const auto gen =
        run({"gen-profiles", "--layers", "15", "--max-bs", "3", "--out", (dir / "profiles").string()});
    EXPECT_EQ(gen.exit_code, 0) << gen.err;
    return dir;
  }

  // plan --json: the exit code and the parsed output.
  std::pair<int, json> plan_json(std::vector<std::string> args) {
    args.insert(args.begin(), "plan");
    args.emplace_back("--json");
    const auto r = run(args);
    EXPECT_EQ(r.err, "");
    auto j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << r.out.substr(0, 2000);
    return {r.exit_code, j};
  }
};

std::vector<std::string> codes(const json& result) {
  std::vector<std::string> out;
  for (const auto& r : result["reasons"]) out.push_back(r["code"].get<std::string>());
  return out;
}

std::string text_of(const json& result, const std::string& code) {
  for (const auto& r : result["reasons"]) {
    if (r["code"] == code) return r["text"].get<std::string>();
  }
  return {};
}

std::vector<Node> repeat(const char* ip, int gpus, int count) {
  return std::vector<Node>(static_cast<std::size_t>(count), Node{ip, gpus});
}

std::vector<Node> concat(std::vector<Node> a, const std::vector<Node>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const char* const kVarianceText =
    "No inter-stage plan: the scale-variance filter removed every device group. With a scale variance of 2, "
    "each stage needs at least 2 x (GPUs / stages, rounded down) GPUs, and no split of the 16 GPUs into 1 to "
    "15 stages passes. A scale variance of 1 or less leaves some: set --scale-variance (args.json "
    "min_group_scale_variance, the page's Scale variance).";

// Case 1: 6 A100 nodes and 2 V100 nodes of 2 GPUs, scale variance 2.
TEST_F(Reasons, ScaleVarianceThatLeavesNoDeviceGroupIsNamed) {
  const auto dir = make_case("variance", concat(repeat("0.0.0.4", 2, 6), repeat("0.0.0.1", 2, 2)), "2");
  const auto [code, j] = plan_json({"--case", dir.string()});
  EXPECT_EQ(code, kExitNoPlan);
  for (const char* s : {"metis", "pruned"}) {
    SCOPED_TRACE(s);
    const json& r = j[s];
    EXPECT_EQ(r["inter_plans"], 0);
    EXPECT_EQ(r["count"], 0);
    EXPECT_EQ(r["no_plan"], true);
    EXPECT_EQ(codes(r), std::vector<std::string>{"no_device_groups"});
    EXPECT_EQ(text_of(r, "no_device_groups"), kVarianceText);
  }
  const auto text = run({"plan", "--case", dir.string(), "--strategy", "metis"});
  EXPECT_EQ(text.exit_code, kExitNoPlan);
  EXPECT_THAT(text.out, HasSubstr(std::string("  note: ") + kVarianceText + "\n"));
  // Asking to explain or export a plan of a search that found none changes nothing of that.
  for (const char* ask : {"--explain", "--export"}) {
    SCOPED_TRACE(ask);
    std::vector<std::string> args = {"plan", "--case", dir.string(), "--strategy", "metis", ask};
    if (std::string(ask) == "--export") args.emplace_back("megatron");
    EXPECT_EQ(run(args).exit_code, kExitNoPlan);
    args.emplace_back("--json");
    EXPECT_EQ(run(args).exit_code, kExitNoPlan);
  }

  // The variance the note suggests leaves plans.
  const auto files = run({"plan",
                          "--hostfile",
                          (dir / "hostfile").string(),
                          "--clusterfile",
                          (dir / "clusterfile.json").string(),
                          "--profiles",
                          (dir / "profiles").string(),
                          "--num-layers",
                          "15",
                          "--gbs",
                          "16",
                          "--max-tp",
                          "3",
                          "--max-bs",
                          "3",
                          "--max-permute-len",
                          "1",
                          "--scale-variance",
                          "1",
                          "--json"});
  EXPECT_EQ(files.exit_code, 0) << files.err;
  EXPECT_GT(json::parse(files.out)["metis"]["costed_plans"].get<int>(), 0);
}

const char* const kNoEstimateText =
    "270 candidates skipped because the reference's memory estimate does not reach all their GPUs: it counts "
    "every node as having as many GPUs as the first node in the hostfile, which has fewer than others, so "
    "stages on the last GPUs get no estimate (the reference planner fails there). Use --cost-model "
    "corrected, which estimates every GPU, or put a node with the most GPUs first in the hostfile.";

// Case 2: two V100 nodes of 2 GPUs, then three A100 nodes of 4.
TEST_F(Reasons, FirstNodeSmallerThanLaterOnesIsNotAMissingProfile) {
  const auto dir = make_case("first-small", concat(repeat("0.0.0.1", 2, 2), repeat("0.0.0.4", 4, 3)), "0.5");
  const auto [code, j] = plan_json({"--case", dir.string(), "--cost-model", "reference"});
  EXPECT_EQ(code, kExitNoPlan);
  for (const char* s : {"metis", "pruned"}) {
    SCOPED_TRACE(s);
    const json& r = j[s];
    EXPECT_EQ(r["inter_plans"], 340);
    EXPECT_EQ(r["count"], 0);
    EXPECT_EQ(r["skipped_candidates"], 0);
    EXPECT_EQ(r["skipped_no_memory_estimate"], 270);
    EXPECT_EQ(r["missing_profile_keys"], json::array());
    EXPECT_EQ(codes(r), (std::vector<std::string>{"skipped_no_memory_estimate", "no_plan_all_skipped"}));
    EXPECT_EQ(text_of(r, "skipped_no_memory_estimate"), kNoEstimateText);
    EXPECT_EQ(text_of(r, "no_plan_all_skipped"), "No plan: every candidate was skipped (see above).");
  }
  const auto text = run({"plan", "--case", dir.string(), "--cost-model", "reference", "--strategy", "metis"});
  EXPECT_EQ(text.exit_code, kExitNoPlan);
  EXPECT_THAT(text.out, HasSubstr(std::string("  note: ") + kNoEstimateText + "\n"));
  EXPECT_THAT(text.out, ::testing::Not(HasSubstr("for want of a profile entry")));

  // The corrected model estimates every GPU, so it plans the cluster.
  const auto [fixed_code, fixed] = plan_json({"--case", dir.string(), "--cost-model", "corrected"});
  EXPECT_EQ(fixed_code, 0);
  EXPECT_EQ(fixed["metis"]["count"], 84);
  EXPECT_EQ(fixed["pruned"]["count"], 115);
  EXPECT_EQ(fixed["metis"]["costed_plans"], 32);
  EXPECT_EQ(fixed["pruned"]["costed_plans"], 31);
  for (const char* s : {"metis", "pruned"}) {
    EXPECT_EQ(fixed[s]["skipped_no_memory_estimate"], 0);
    EXPECT_EQ(fixed[s]["cost_errors"], 0);
    EXPECT_EQ(fixed[s]["reasons"], json::array());
    EXPECT_EQ(fixed[s]["top"][0]["device_groups"], json::parse("[4, 4, 4, 4]"));
  }
}

// Case 3: 5 A100 nodes and 1 V100 node of 2 GPUs: 12 GPUs.
TEST_F(Reasons, GpuCountNotAPowerOfTwoSaysWhichStageCountsWereSearched) {
  const auto dir = make_case("twelve", concat(repeat("0.0.0.4", 2, 5), repeat("0.0.0.1", 2, 1)), "0.5");
  const auto [code, j] = plan_json({"--case", dir.string()});
  EXPECT_EQ(code, 0);
  EXPECT_EQ(j["metis"]["count"], 71);
  EXPECT_EQ(j["metis"]["costed_plans"], 24);
  EXPECT_EQ(j["pruned"]["count"], 77);
  EXPECT_EQ(j["pruned"]["costed_plans"], 26);
  for (const char* s : {"metis", "pruned"}) {
    EXPECT_EQ(codes(j[s]), std::vector<std::string>{"gpus_not_power_of_two"});
    EXPECT_EQ(
        text_of(j[s], "gpus_not_power_of_two"),
        "The cluster has 12 GPUs, not a power of two. Every stage has a power-of-two number of GPUs, so "
        "no single stage holds them all: only the stage counts that exist (2 to 12) were searched. The "
        "reference planner cannot run this case (it fails before its first plan).");
  }
}

TEST_F(Reasons, NoPlanFitsInMemory) {
  const char* tiny = R"({
    "0.0.0.1": {"instance_type": "V100", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 0.001},
    "0.0.0.4": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46, "memory": 0.001}
  })";
  const auto dir = make_case("tiny", concat(repeat("0.0.0.4", 4, 2), repeat("0.0.0.1", 4, 2)), "1", tiny);
  const auto [code, j] = plan_json({"--case", dir.string(), "--strategy", "metis"});
  EXPECT_EQ(code, kExitNoPlan);
  EXPECT_EQ(j["count"], 0);
  EXPECT_EQ(j["costed_plans"], 0);
  EXPECT_EQ(j["out_of_memory_candidates"], 208);
  EXPECT_EQ(j["no_plan"], true);
  const std::string why =
      "No plan fits in memory: each of the 208 candidates the search tried needs more memory than its "
      "stages' "
      "GPUs have. Use GPUs with more memory (clusterfile \"memory\") or more GPUs (hostfile), or a smaller "
      "model.";
  EXPECT_EQ(codes(j), std::vector<std::string>{"no_plan_fits_memory"});
  EXPECT_EQ(text_of(j, "no_plan_fits_memory"), why);
  const auto text = run({"plan", "--case", dir.string(), "--strategy", "metis"});
  EXPECT_EQ(text.exit_code, kExitNoPlan);
  EXPECT_THAT(text.out, HasSubstr("  note: " + why + "\n"));
}

TEST_F(Reasons, MissingProfileEntriesAreListedWithWhatToChange) {
  const auto dir = make_case("sparse", concat(repeat("0.0.0.4", 4, 2), repeat("0.0.0.1", 4, 2)), "1");
  fs::remove(dir / "profiles" / "DeviceType.V100_tp1_bs2.json");
  const auto [code, j] = plan_json({"--case", dir.string(), "--strategy", "metis"});
  EXPECT_EQ(code, 0);
  EXPECT_EQ(j["count"], 88);
  EXPECT_EQ(j["costed_plans"], 26);
  EXPECT_EQ(j["skipped_candidates"], 79);
  EXPECT_EQ(j["missing_profile_keys"], json::parse(R"(["V100 tp1 bs2"])"));
  EXPECT_EQ(codes(j), std::vector<std::string>{"skipped_missing_profile"});
  EXPECT_EQ(
      text_of(j, "skipped_missing_profile"),
      "79 candidates skipped for want of a profile entry (V100 tp1 bs2; all in missing_profile_keys). "
      "Add those profiles, or lower the largest tensor-parallel degree and micro-batch size the search "
      "tries (--max-tp, --max-bs; args.json max_profiled_tp_degree, max_profiled_batch_size) to what the "
      "profiles cover.");
}

TEST_F(Reasons, BoundsPastTheProfilesSayWhatToSet) {
  const auto dir = make_case("bounds", concat(repeat("0.0.0.4", 4, 2), repeat("0.0.0.1", 4, 2)), "1");
  // Bounds past the profiles must be given: left out, they are what the profiles cover.
  const auto r =
      run({"plan", "--hostfile", (dir / "hostfile").string(), "--clusterfile",
           (dir / "clusterfile.json").string(), "--profiles", (dir / "profiles").string(), "--num-layers",
           "15", "--gbs", "16", "--max-tp", "128", "--max-bs", "128", "--strategy", "metis", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(codes(j), (std::vector<std::string>{"profile_coverage", "skipped_missing_profile"}));
  EXPECT_EQ(
      text_of(j, "profile_coverage"),
      "The profiles cover tensor-parallel degrees up to 4 and micro-batch sizes up to 4 (A100: tp 4, bs 4; "
      "V100: tp 4, bs 4), but the search may ask for tp 16 and micro-batch 16: set --max-tp 4 and --max-bs "
      "4 (args.json max_profiled_tp_degree and max_profiled_batch_size, the page's Max TP and Max "
      "micro-batch) so that it asks only for what was profiled.");
}

TEST_F(Reasons, ReferenceModelSaysWhyAnFbSyncOfZeroGetsNoCost) {
  const auto dir = make_case("fbsync", concat(repeat("0.0.0.4", 4, 2), repeat("0.0.0.1", 4, 2)), "1");
  // Measured profiles have forward_backward_time_ms equal to the summed layer times: fb_sync 0.
  for (const auto& file : fs::directory_iterator(dir / "profiles")) {
    json p = json::parse(read_file(file.path()));
    double sum = 0;
    for (const auto& t : p["execution_time"]["layer_compute_total_ms"]) sum += t.get<double>();
    p["execution_time"]["forward_backward_time_ms"] = sum;
    write_file(file.path(), p.dump());
  }
  const auto [code, j] =
      plan_json({"--case", dir.string(), "--strategy", "metis", "--cost-model", "reference"});
  // Plans were found: only their cost is missing.
  EXPECT_EQ(code, 0);
  EXPECT_EQ(j["costed_plans"], 0);
  EXPECT_EQ(j["cost_errors"], 37);
  EXPECT_EQ(j["no_plan"], false);
  EXPECT_EQ(codes(j), (std::vector<std::string>{"reference_fb_sync_zero", "cost_errors"}));
  EXPECT_EQ(
      text_of(j, "reference_fb_sync_zero"),
      "In the reference cost model an fb_sync (forward-backward time minus the summed layer times) of "
      "exactly 0 is taken for a missing entry, and 18 of the 18 profile entries have it (measured profiles "
      "always do): plans that use them get no cost. Use --cost-model corrected (the page's Cost model) to "
      "cost them.");
  EXPECT_EQ(text_of(j, "cost_errors"),
            "37 plans found got no cost: the estimate needs a profile entry that is missing, or one whose "
            "fb_sync is exactly 0, which the reference cost model takes for a missing one (--cost-model "
            "corrected costs those).");
}

TEST_F(Reasons, HelpNamesTheNoPlanExitCode) {
  const std::string help = run({"plan", "--help"}).out;
  EXPECT_THAT(help, HasSubstr("3 a search found no plan"));
  EXPECT_THAT(help, HasSubstr("1 a plan asked for by --explain or --export was not given"));
}

}  // namespace
}  // namespace hetplan::cli_test

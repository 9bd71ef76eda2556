// `hetplan sweep`: the grid's points in order, the best plan of each as CSV and JSON, the reason of a point
// without a plan, and the messages of a bad axis.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "command.hpp"

namespace hetplan::cli_test {
namespace {

// Row 1 of the published table as the page's synthetic spec: 4 nodes of 4 V100 and 4 of 4 A100, 10 layers.
const char* const kRow1Spec = R"({"types": [
  {"name": "V100", "memory": 16, "intra_bandwidth": 50, "inter_bandwidth": 10, "time_factor": 3.5, "nodes": 4,
   "gpus_per_node": 4},
  {"name": "A100", "memory": 80, "intra_bandwidth": 46, "inter_bandwidth": 10, "time_factor": 1, "nodes": 4,
   "gpus_per_node": 4}],
  "layers": 10, "max_batch_size": 128, "args": {"num_layers": 10, "gbs": 128}})";

class Sweep : public CliTest {
 protected:
  std::string spec() {
    const auto path = scratch_ / "spec.json";
    write_file(path, kRow1Spec);
    return path.string();
  }
};

TEST_F(Sweep, OneRowPerPointInGridOrder) {
  const auto r =
      run({"sweep", "--case-json", spec(), "--vary", "gbs=64,128", "--vary", "types.A100.nodes=2..4:2",
           "--strategy", "metis", "--out", (scratch_ / "grid").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The last point is row 1 itself: its best plan and steps are the published table's.
  const std::string expected =
      "gbs,types.A100.nodes,strategy,cost_ms,stages,dp_tp,gpus,steps,error\n"
      "64,2,metis,2425.1843817296235,3,\"(8,1) (8,1) (8,1)\",24,5602,\n"
      "64,4,metis,897.5806713104248,1,\"(1,32)\",32,577,\n"
      "128,2,metis,4533.371485001108,3,\"(8,1) (8,1) (8,1)\",24,6547,\n"
      "128,4,metis,1793.551254272461,1,\"(1,32)\",32,612,\n";
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(read_file(scratch_ / "grid.csv"), expected);
  const auto j = nlohmann::json::parse(read_file(scratch_ / "grid.json"));
  EXPECT_EQ(j["axes"], nlohmann::json({"gbs", "types.A100.nodes"}));
  ASSERT_EQ(j["points"].size(), 4U);
  EXPECT_EQ(j["points"][3]["point"], nlohmann::json({{"gbs", 128}, {"types.A100.nodes", 4}}));
  EXPECT_EQ(j["points"][3]["best"][0]["steps"], 612);
  EXPECT_EQ(j["points"][3]["best"][0]["dp_tp"], nlohmann::json({{1, 32}}));
  EXPECT_NE(r.err.find("point 4 of 4 (gbs=128 types.A100.nodes=4): done\n"), std::string::npos) << r.err;
}

// A point without a plan says why in its row; a sweep none of whose points has a plan exits 3, as a search
// without plans does, and one with a plan among them 0.
TEST_F(Sweep, APointWithoutAPlanSaysWhy) {
  auto r = run({"sweep", "--case-json", spec(), "--vary", "types.A100.nodes=0", "--strategy", "metis"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("\n0,metis,,,,,0,\"No plan fits in memory: "), std::string::npos) << r.out;
  r = run({"sweep", "--case-json", spec(), "--vary", "gbs=0,-8"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("\n0,,,,,,,\"synthetic spec: args: gbs: expected a whole number"), std::string::npos)
      << r.out;
  r = run({"sweep", "--case-json", spec(), "--vary", "types.A100.nodes=0,1", "--strategy", "metis"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Where the results go is checked before the searches; the table is printed whatever happens to the files.
TEST_F(Sweep, AnOutFolderThatIsNotThereFailsAtOnce) {
  const auto r = run(
      {"sweep", "--case-json", spec(), "--vary", "gbs=64", "--out", (scratch_ / "nodir" / "res").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "hetplan: error: --out " + (scratch_ / "nodir" / "res").string() +
                       ": there is no folder '" + (scratch_ / "nodir").string() + "' to write into\n");
}

TEST_F(Sweep, ABadAxisIsNamed) {
  auto r = run({"sweep", "--case-json", spec(), "--vary", "types.B200.nodes=1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hetplan: error: " + spec() + ": --vary types.B200.nodes: the input has no types.B200\n");
  r = run({"sweep", "--case-json", spec(), "--vary", "gbs=8..x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hetplan: error: --vary gbs: 'x' is not a number\n");
  r = run({"sweep", "--case-json", spec(), "--vary", "gbs"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "hetplan: error: --vary takes PATH=VALUES (gbs=64,128,256 or types.A100.nodes=0..8), got 'gbs'\n");
  r = run({"sweep", "--case-json", spec(), "--vary", "gbs=8..4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hetplan: error: --vary gbs: the range '8..4' needs A <= B and a step above 0\n");
  // One number varied twice, under its short name and its path: the later would override the earlier.
  r = run({"sweep", "--case-json", spec(), "--vary", "gbs=64", "--vary", "args.gbs=32"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hetplan: error: " + spec() +
                       ": --vary args.gbs: args.gbs is varied already by --vary gbs; give its values in one "
                       "--vary\n");
  r = run({"sweep", "--case-json", spec(), "--vary", "layers=8", "--vary", "layers=10"});
  EXPECT_EQ(r.exit_code, 2);
  // A sweep keeps the best plan of each point and times nothing: it takes no --top and no --trials.
  for (const char* option : {"--top", "--trials"}) {
    r = run({"sweep", "--case-json", spec(), "--vary", "gbs=64", option, "3"});
    EXPECT_EQ(r.exit_code, 2) << option;
  }
}

// The values of a range are the numbers written, not the sums' rounding.
TEST_F(Sweep, RangeValuesAreTheNumbersWritten) {
  const auto r = run({"sweep", "--case-json", spec(), "--vary", "args.min_group_scale_variance=0..0.9:0.3",
                      "--strategy", "bounded", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["points"].size(), 4U);
  EXPECT_EQ(j["points"][1]["point"]["args.min_group_scale_variance"].dump(), "0.3");
  EXPECT_EQ(j["points"][2]["point"]["args.min_group_scale_variance"].dump(), "0.6");
  EXPECT_EQ(j["points"][3]["point"]["args.min_group_scale_variance"].dump(), "0.9");
}

}  // namespace
}  // namespace hetplan::cli_test

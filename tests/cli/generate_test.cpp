// The generators write exactly what the reference's scripts write.
#include <algorithm>
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

class Generate : public CliTest {};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> sorted_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_F(Generate, HostfileForSixteenGpusPerType) {
  const auto file = scratch_ / "hostfile";
  const auto r = run({"gen-hostfile", "--gpus-per-type", "16", "--out", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> expected = {"0.0.0.1 slots=4", "0.0.0.1 slots=4", "0.0.0.1 slots=4",
                                             "0.0.0.1 slots=4", "0.0.0.4 slots=4", "0.0.0.4 slots=4",
                                             "0.0.0.4 slots=4", "0.0.0.4 slots=4"};
  const std::string text = read_file(file);
  EXPECT_EQ(lines_of(text), expected);
  EXPECT_EQ(text.back(), '\n');  // the script ends every line, the last one included
}

TEST_F(Generate, HostfileToStdout) {
  const auto r = run({"gen-hostfile", "--gpus-per-type", "8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0.0.0.1 slots=4\n0.0.0.1 slots=4\n0.0.0.4 slots=4\n0.0.0.4 slots=4\n");
}

TEST_F(Generate, ProfilesEqualTheGoldenOnes) {
  const auto golden = golden_dir();
  if (golden.empty())
    GTEST_SKIP() << "no ../shared/golden next to the source tree (" << HETPLAN_SHARED_DIR << ")";
  const auto expected_dir = golden / "table1-row1" / "profiles";
  const auto out = scratch_ / "profiles";
  const auto r = run({"gen-profiles", "--layers", "10", "--max-bs", "128", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto names = sorted_names(out);
  ASSERT_EQ(names, sorted_names(expected_dir));
  for (const auto& name : names) {
    const auto expected = nlohmann::json::parse(read_file(expected_dir / name));
    const auto actual = nlohmann::json::parse(read_file(out / name), nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(actual.is_discarded()) << name << " is not JSON";
    EXPECT_EQ(json_difference(expected, actual, 1e-12), "") << name;
  }
}

TEST_F(Generate, ProfilesReplaceOldProfilesOnly) {
  const auto out = scratch_ / "profiles";
  ASSERT_EQ(run({"gen-profiles", "--layers", "4", "--max-bs", "16", "--out", out.string()}).exit_code, 0);
  write_file(out / "notes.txt", "keep me");
  ASSERT_TRUE(fs::exists(out / "DeviceType.V100_tp4_bs16.json"));
  const auto r = run({"gen-profiles", "--layers", "4", "--max-bs", "8", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(out / "DeviceType.V100_tp4_bs16.json"));  // stale: larger max-bs than this run
  EXPECT_TRUE(fs::exists(out / "DeviceType.V100_tp4_bs8.json"));
  EXPECT_TRUE(fs::exists(out / "notes.txt"));
}

TEST_F(Generate, ProfilesForChosenTypes) {
  const auto out = scratch_ / "profiles";
  const auto r = run({"gen-profiles", "--layers", "4", "--max-bs", "4", "--out", out.string(), "--type",
                      "A100=1", "--type", "T4=6"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out / "DeviceType.T4_tp1_bs1.json"));
  EXPECT_FALSE(fs::exists(out / "DeviceType.V100_tp1_bs1.json"));
  const auto a100 = nlohmann::json::parse(read_file(out / "DeviceType.A100_tp1_bs1.json"));
  const auto t4 = nlohmann::json::parse(read_file(out / "DeviceType.T4_tp1_bs1.json"));
  const double a = a100["execution_time"]["forward_backward_time_ms"].get<double>();
  const double t = t4["execution_time"]["forward_backward_time_ms"].get<double>();
  EXPECT_NEAR(t / a, 6.0, 1e-12);
}

// A type given twice would write its files twice (the second factor winning); a factor past a million would
// write times that do not fit the files' numbers. Both are refused before anything is written.
TEST_F(Generate, ProfilesRefuseATypeTwiceAndFactorsTooLarge) {
  const auto out = scratch_ / "twice";
  auto r = run({"gen-profiles", "--layers", "4", "--max-bs", "4", "--out", out.string(), "--type", "A100=1",
                "--type", "A100=2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hetplan: error: device type A100 is given twice\n");
  EXPECT_FALSE(fs::exists(out));
  r = run({"gen-profiles", "--layers", "4", "--max-bs", "4", "--out", out.string(), "--type", "A100=1e308"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hetplan: error: time factor of A100: expected a number > 0 and at most 1000000\n");
  r = run(
      {"gen-profiles", "--layers", "4", "--max-bs", "4", "--out", out.string(), "--type", "A100=1000000"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace hetplan::cli_test

// Shard files: `plan --shard I/N --out FILE` on each shard, then `merge` of the files in any order gives the
// bytes one run prints (times aside); a part missing, doubled, of another case or split, or not a shard file
// is refused with the file named.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "command.hpp"

namespace hetplan::cli_test {
namespace {

namespace fs = std::filesystem;

class ShardFiles : public CliTest {
 protected:
  const std::vector<std::string> kRun = {"--strategy", "metis,pruned,optimal", "--top", "5"};

  std::vector<std::string> plan_args(const fs::path& dir, std::vector<std::string> extra) const {
    std::vector<std::string> args = {"plan", "--case", dir.string()};
    args.insert(args.end(), kRun.begin(), kRun.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Writes the N shard files of a search of `dir`; returns their paths in shard order.
  std::vector<std::string> write_parts(const fs::path& dir, int n, const std::string& prefix) {
    std::vector<std::string> parts;
    for (int i = 0; i < n; ++i) {
      const auto path = (scratch_ / (prefix + std::to_string(i) + ".json")).string();
      const auto r =
          run(plan_args(dir, {"--shard", std::to_string(i) + "/" + std::to_string(n), "--out", path}));
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(r.out.rfind(
                    path + ": shard " + std::to_string(i) + " of " + std::to_string(n) + " (fingerprint ", 0),
                0U)
          << r.out;
      parts.push_back(path);
    }
    return parts;
  }

  CommandResult merge(const std::vector<std::string>& parts, bool json) {
    std::vector<std::string> args = {"merge"};
    args.insert(args.end(), parts.begin(), parts.end());
    if (json) args.emplace_back("--json");
    return run(args);
  }
};

TEST_F(ShardFiles, MergedInEveryOrderTheyPrintWhatOneRunPrints) {
  const auto dir = make_row1_case("row1");
  const auto one_json = run(plan_args(dir, {"--json"}));
  const auto one_tables = run(plan_args(dir, {}));
  ASSERT_EQ(one_json.exit_code, 0) << one_json.err;
  auto parts = write_parts(dir, 3, "part-");
  std::sort(parts.begin(), parts.end());
  do {
    const auto json = merge(parts, true);
    ASSERT_EQ(json.exit_code, 0) << json.err;
    EXPECT_EQ(times_blanked(json.out), times_blanked(one_json.out));
    const auto tables = merge(parts, false);
    EXPECT_EQ(times_blanked(tables.out), times_blanked(one_tables.out));
  } while (std::next_permutation(parts.begin(), parts.end()));
}

TEST_F(ShardFiles, AMissingDoubledOrForeignPartIsNamed) {
  const auto dir = make_row1_case("row1");
  const auto parts = write_parts(dir, 3, "part-");
  auto r = merge({parts[0], parts[2]}, false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hetplan: error: shard 1 of 3 missing (2 files given)\n");
  r = merge({parts[0], parts[1], parts[1], parts[2]}, false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "hetplan: error: " + parts[1] + " (shard 1 of 3): shard 1 again (also " + parts[1] + ")\n");

  // Another case: the same cluster with another global batch.
  const auto other_dir = make_row1_case("other");
  write_file(other_dir / "args.json", R"({"num_layers": 10, "gbs": 64})");
  const auto other = write_parts(other_dir, 3, "other-");
  r = merge({parts[0], other[1], parts[2]}, false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(other[1] + " (shard 1 of 3): another case or other options than " + parts[0] +
                       " (fingerprint "),
            std::string::npos)
      << r.err;

  // Another split of the same search.
  const auto four = write_parts(dir, 4, "four-");
  r = merge({parts[0], four[1], parts[2]}, false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "hetplan: error: " + four[1] + " (shard 1 of 4): a shard of another split than " +
                       parts[0] + " (shard 0 of 3)\n");

  write_file(scratch_ / "results.json", run(plan_args(dir, {"--json"})).out);
  r = merge({parts[0], (scratch_ / "results.json").string()}, false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "hetplan: error: " + (scratch_ / "results.json").string() +
                ": not a shard file (no \"format\": \"hetplan-shard\"; write one with hetplan plan --shard "
                "I/N --out FILE)\n");
}

TEST_F(ShardFiles, ShardOptionsAreChecked) {
  const auto dir = make_row1_case("row1");
  auto r = run(plan_args(dir, {"--shard", "3/3", "--out", "x.json"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "hetplan: error: --shard takes I/N with N from 1 to 1024 and I from 0 to N-1, got '3/3'\n");
  r = run(plan_args(dir, {"--shard", "1/3"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "hetplan: error: --shard needs --out FILE: a shard's result is written for hetplan merge\n");
  r = run(plan_args(dir, {"--shard", "1/3", "--out", "x.json", "--explain"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "hetplan: error: --explain and --export need the whole search: run them without --shard/--out\n");
  EXPECT_FALSE(fs::exists(scratch_ / "x.json"));
}

}  // namespace
}  // namespace hetplan::cli_test

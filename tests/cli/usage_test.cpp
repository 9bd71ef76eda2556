// Bad usage and bad input: exit code 2, a message on stderr that names the file or option, and never a crash.
#include <filesystem>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "command.hpp"

namespace hetplan::cli_test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class Usage : public CliTest {};

TEST_F(Usage, HelpEverywhereExitsZero) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"},
                                                                {"plan", "--help"},
                                                                {"gen-profiles", "--help"},
                                                                {"gen-hostfile", "--help"},
                                                                {"table1", "--help"}}) {
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 0) << args.front() << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << args.front();
  }
  const auto top = run({"--help"});
  for (const char* command : {"plan", "gen-profiles", "gen-hostfile", "table1"}) {
    EXPECT_THAT(top.out, HasSubstr(command));
  }
  EXPECT_THAT(run({"plan", "--help"}).out, HasSubstr("--case-json"));
}

// The version line names the build's kind, as CMake configured it (HETPLAN_VERSION_TEXT).
TEST_F(Usage, VersionNamesTheBuild) {
  const auto r = run({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(HETPLAN_VERSION_TEXT) + "\n");
  EXPECT_THAT(r.out, ::testing::StartsWith("hetplan 0."));
}

// Every count option says what it expects in the same words, naming what the user typed.
TEST_F(Usage, CountsAreWholeNumbersFromOne) {
  const auto err = [&](const std::string& option, const std::string& value) {
    const auto r = run({"plan", "--case", "x", option, value});
    EXPECT_EQ(r.exit_code, 2) << option << " " << value;
    return r.err.substr(0, r.err.find('\n'));
  };
  EXPECT_EQ(err("--gbs", "0"), "hetplan: error: --gbs: expected a whole number of 1 or more, got '0'");
  EXPECT_EQ(err("--gbs", "-5"), "hetplan: error: --gbs: expected a whole number of 1 or more, got '-5'");
  EXPECT_EQ(err("--gbs", "1.5"), "hetplan: error: --gbs: expected a whole number of 1 or more, got '1.5'");
  EXPECT_EQ(err("--num-layers", "26abc"),
            "hetplan: error: --num-layers: expected a whole number of 1 or more, got '26abc'");
  EXPECT_EQ(err("--hidden-size", "99999999999"),
            "hetplan: error: --hidden-size: expected at most 2147483647, got 99999999999");
  EXPECT_EQ(err("--max-inter-plans", "0"),
            "hetplan: error: --max-inter-plans: expected a whole number of 1 or more, got '0'");
  EXPECT_EQ(
      err("--max-inter-plans", "99999999999999999999"),
      "hetplan: error: --max-inter-plans: expected at most 9223372036854775807, got 99999999999999999999");
  const auto gen = run({"gen-profiles", "--layers", "0", "--max-bs", "2", "--out", "x"});
  EXPECT_EQ(gen.exit_code, 2);
  EXPECT_THAT(gen.err, HasSubstr("--layers: expected a whole number of 1 or more, got '0'"));
}

TEST_F(Usage, NoCommand) {
  const auto r = run({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST_F(Usage, UnknownCommand) {
  const auto r = run({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("frobnicate"));
}

TEST_F(Usage, UnknownOption) {
  const auto r = run({"plan", "--case", "x", "--bogus-option"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--bogus-option"));
}

TEST_F(Usage, BadOptionValues) {
  const auto dir = make_row1_case("case");
  for (const auto& args : std::vector<std::vector<std::string>>{{"--strategy", "fastest"},
                                                                {"--cost-model", "cheap"},
                                                                {"--top", "0"},
                                                                {"--top", "many"},
                                                                {"--threads", "0"},
                                                                {"--trials", "-1"}}) {
    std::vector<std::string> full = {"plan", "--case", dir.string()};
    full.insert(full.end(), args.begin(), args.end());
    const auto r = run(full);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1];
    EXPECT_THAT(r.err, HasSubstr(args[0])) << args[0] << " " << args[1];
  }
}

TEST_F(Usage, PlanWithoutCase) {
  const auto r = run({"plan"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--case"));
}

TEST_F(Usage, TwoWaysOfGivingTheCase) {
  const auto dir = make_row1_case("case");
  const auto r = run({"plan", "--case", dir.string(), "--case-json", (scratch_ / "x.json").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("one way"));
}

TEST_F(Usage, ModelOptionBesideCaseFolder) {
  const auto dir = make_row1_case("case");
  const auto r = run({"plan", "--case", dir.string(), "--max-tp", "4"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--max-tp"));
}

TEST_F(Usage, MissingCaseFolder) {
  const std::string missing = (scratch_ / "no-such-case").string();
  const auto r = run({"plan", "--case", missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(missing));
  EXPECT_THAT(r.err, HasSubstr("does not exist"));
}

TEST_F(Usage, CaseFolderWithoutHostfile) {
  const auto dir = make_row1_case("case");
  fs::remove(dir / "hostfile");
  const auto r = run({"plan", "--case", dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr((dir / "hostfile").string()));
}

TEST_F(Usage, CaseFolderWithoutProfiles) {
  const auto dir = make_row1_case("case");
  fs::remove(dir / "synthetic.json");
  const auto r = run({"plan", "--case", dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("synthetic.json"));
}

TEST_F(Usage, MalformedHostfileInCaseFolder) {
  const auto dir = make_row1_case("case");
  write_file(dir / "hostfile", "0.0.0.1 slots=4\n0.0.0.4 slots=four\n");
  const auto r = run({"plan", "--case", dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr((dir / "hostfile").string()));
}

TEST_F(Usage, MalformedHostfileInFileForm) {
  const auto dir = make_row1_case("case");
  const auto profiles = scratch_ / "profiles";
  ASSERT_EQ(run({"gen-profiles", "--layers", "10", "--max-bs", "8", "--out", profiles.string()}).exit_code,
            0);
  const auto hostfile = scratch_ / "bad-hostfile";
  write_file(hostfile, "this is not a hostfile line\n");
  const auto r =
      run({"plan", "--hostfile", hostfile.string(), "--clusterfile", (dir / "clusterfile.json").string(),
           "--profiles", profiles.string(), "--num-layers", "10", "--gbs", "128"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(hostfile.string()));
}

TEST_F(Usage, FileFormNeedsEveryPiece) {
  const auto dir = make_row1_case("case");
  const std::string hostfile = (dir / "hostfile").string();
  const std::string clusterfile = (dir / "clusterfile.json").string();
  auto r =
      run({"plan", "--hostfile", hostfile, "--clusterfile", clusterfile, "--num-layers", "10", "--gbs", "8"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--profiles"));
  r = run({"plan", "--hostfile", hostfile, "--clusterfile", clusterfile, "--profiles", scratch_.string(),
           "--num-layers", "10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--gbs"));
}

TEST_F(Usage, MissingProfileFolder) {
  const auto dir = make_row1_case("case");
  const std::string missing = (scratch_ / "no-profiles").string();
  const auto r =
      run({"plan", "--hostfile", (dir / "hostfile").string(), "--clusterfile",
           (dir / "clusterfile.json").string(), "--profiles", missing, "--num-layers", "10", "--gbs", "8"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(missing));
}

TEST_F(Usage, NonNumericScaleVariance) {
  const auto r = run({"plan", "--hostfile", "h", "--clusterfile", "c", "--profiles", "p", "--num-layers",
                      "10", "--gbs", "8", "--scale-variance", "nan"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--scale-variance"));
}

TEST_F(Usage, MalformedClusterfile) {
  const auto dir = make_row1_case("case");
  write_file(dir / "clusterfile.json", "{\"0.0.0.1\": {\"instance_type\": \"V100\", ");
  const auto r = run({"plan", "--case", dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("clusterfile.json"));
}

TEST_F(Usage, MalformedArgs) {
  const auto dir = make_row1_case("case");
  write_file(dir / "args.json", R"({"num_layers": "ten", "gbs": 128})");
  const auto r = run({"plan", "--case", dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("args.json"));
}

TEST_F(Usage, MalformedSyntheticSpec) {
  const auto dir = make_row1_case("case");
  write_file(dir / "synthetic.json", R"({"layers": 0, "max_batch_size": 128})");
  const auto r = run({"plan", "--case", dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("synthetic.json"));
  EXPECT_THAT(r.err, HasSubstr("layers"));
}

TEST_F(Usage, MalformedCaseJson) {
  const auto file = scratch_ / "case.json";
  write_file(file, "{\"hostfile\": 12");
  auto r = run({"plan", "--case-json", file.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(file.string()));
  const std::string missing = (scratch_ / "missing.json").string();
  r = run({"plan", "--case-json", missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(missing));
}

TEST_F(Usage, GeneratorsRejectBadValues) {
  EXPECT_EQ(run({"gen-hostfile", "--gpus-per-type", "0"}).exit_code, 2);
  EXPECT_EQ(run({"gen-hostfile"}).exit_code, 2);
  EXPECT_EQ(run({"gen-profiles", "--layers", "10", "--max-bs", "8"}).exit_code, 2);  // no --out
  const auto r = run({"gen-profiles", "--layers", "10", "--max-bs", "8", "--out", (scratch_ / "p").string(),
                      "--type", "V100"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("NAME=FACTOR"));
}

// Ctrl-C during a search: the search stops after the inter-stage plan it is on, the command prints the rows
// so far (the last one marked cancelled), says so and exits 130, with one thread (the search on the main
// thread) and with two (workers the main thread waits for). The signal comes 300 ms in, well after the
// handler is installed.
TEST_F(Usage, CtrlCStopsTheSearchCleanly) {
  for (const char* threads : {"1", "2"}) {
    // Row 4 repeated: one search of it takes about a quarter of a second now, less than the 300 ms before the
    // signal, and two threads finished before it came.
    const auto r = run({"table1", "--rows", "4", "--threads", threads, "--trials", "100"}, 300);
    EXPECT_EQ(r.exit_code, 130) << threads << " threads: " << r.err;
    EXPECT_EQ(r.err,
              "hetplan: interrupted: the results above are what the search found before Ctrl-C (marked "
              "cancelled)\n")
        << threads << " threads";
    EXPECT_EQ(r.out.find("All step counts"), std::string::npos) << threads << " threads: " << r.out;
    EXPECT_NE(r.out.find("Cancelled (Ctrl-C): the counts of searches marked cancelled are partial."),
              std::string::npos)
        << threads << " threads: " << r.out;
  }
}

TEST_F(Usage, Table1RejectsUnknownRow) {
  const auto r = run({"table1", "--rows", "5"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--rows"));
}

}  // namespace
}  // namespace hetplan::cli_test

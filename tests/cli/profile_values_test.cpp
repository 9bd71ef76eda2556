// `plan --hostfile --clusterfile --profiles` without the model values: the CLI takes the model name, the
// layer count and the largest tp and micro-batch from the profiles, as the page does with profiles loaded
// without args.json (web/profile-facts.js), says so on stderr, and searches what the same values given as
// options search.
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "command.hpp"

namespace hetplan::cli_test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class ProfileValues : public CliTest {
 protected:
  // 8 V100 and 8 A100 (gen-hostfile), the reference clusterfile, and gen-profiles' files of 10 layers for
  // A100, V100 and T4 up to micro-batch 8 (model name GPT3), without the tp 8 files of A100 and V100: the
  // cluster's types cover tp 4 and micro-batch 8, T4 (in no node) tp 8, which must not count.
  void SetUp() override {
    CliTest::SetUp();
    hostfile_ = (scratch_ / "hostfile").string();
    clusterfile_ = (scratch_ / "clusterfile.json").string();
    profiles_ = (scratch_ / "profiles").string();
    ASSERT_EQ(run({"gen-hostfile", "--gpus-per-type", "8", "--out", hostfile_}).exit_code, 0);
    write_file(clusterfile_, kTableClusterfile);
    const auto gen = run({"gen-profiles", "--layers", "10", "--max-bs", "8", "--type", "A100=1", "--type",
                          "V100=3.5", "--type", "T4=2", "--out", profiles_});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    for (const char* type : {"A100", "V100"}) {
      for (const char* bs : {"1", "2", "4", "8"}) {
        const fs::path file =
            fs::path(profiles_) / ("DeviceType." + std::string(type) + "_tp8_bs" + bs + ".json");
        ASSERT_TRUE(fs::remove(file)) << file;
      }
    }
    ASSERT_TRUE(fs::exists(fs::path(profiles_) / "DeviceType.T4_tp8_bs8.json"));
  }

  CommandResult plan(std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "plan",  "--hostfile", hostfile_,    "--clusterfile", clusterfile_, "--profiles", profiles_,
        "--gbs", "64",         "--strategy", "metis,pruned",  "--top",      "3"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  std::string hostfile_;
  std::string clusterfile_;
  std::string profiles_;
};

// The model's dimensions left out are the defaults, and said so on stderr.
constexpr const char* kDefaultsSaid =
    "hetplan: hidden size 4096, sequence length 1024, vocabulary 51200, 32 attention heads: defaults (give "
    "--hidden-size, --sequence-length, --vocab-size, --attention-heads to set your model's)\n";

TEST_F(ProfileValues, LeftOutTheyComeFromTheProfilesAndAreSaidOnStderr) {
  const std::vector<std::string> given = {"--model-name", "GPT3", "--num-layers", "10",
                                          "--max-tp",     "4",    "--max-bs",     "8"};
  for (const bool json : {true, false}) {
    SCOPED_TRACE(json ? "--json" : "tables");
    std::vector<std::string> explicit_args = given;
    std::vector<std::string> bare;
    if (json) {
      explicit_args.emplace_back("--json");
      bare.emplace_back("--json");
    }
    const auto with_options = plan(explicit_args);
    ASSERT_EQ(with_options.exit_code, 0) << with_options.err;
    EXPECT_EQ(with_options.err, std::string(kDefaultsSaid));
    const auto from_profiles = plan(bare);
    ASSERT_EQ(from_profiles.exit_code, 0) << from_profiles.err;
    EXPECT_EQ(from_profiles.err,
              "hetplan: model GPT3, 10 layers, max tp 4, max micro-batch 8: from the profiles (give "
              "--model-name, --num-layers, --max-tp, --max-bs to change)\n" +
                  std::string(kDefaultsSaid));
    // The same search, counts and plans: stdout is the same bytes, times aside.
    EXPECT_EQ(times_blanked(from_profiles.out), times_blanked(with_options.out));
    if (!json) {
      EXPECT_EQ(from_profiles.out.rfind("GPT3, 16 GPUs (8 A100, 8 V100) on 4 nodes, 10 layers", 0), 0U);
    }
  }
  // Not the synthetic defaults (max tp and micro-batch 128): those search more.
  const auto defaults = plan({"--max-tp", "128", "--max-bs", "128", "--json"});
  ASSERT_EQ(defaults.exit_code, 0) << defaults.err;
  EXPECT_NE(times_blanked(defaults.out), times_blanked(plan({"--json"}).out));
}

TEST_F(ProfileValues, AValueGivenWinsAndTheRestAreSaid) {
  const auto dims = plan({"--hidden-size", "1024", "--attention-heads", "16"});
  ASSERT_EQ(dims.exit_code, 0) << dims.err;
  EXPECT_THAT(dims.err, HasSubstr("\nhetplan: sequence length 1024, vocabulary 51200: defaults (give "
                                  "--sequence-length, --vocab-size to set your model's)\n"));
  const auto all_dims = plan({"--hidden-size", "1024", "--attention-heads", "16", "--sequence-length", "2048",
                              "--vocab-size", "50272"});
  EXPECT_THAT(all_dims.err, Not(HasSubstr("defaults")));

  const auto given = plan({"--max-tp", "2", "--model-name", "mine", "--json"});
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_EQ(
      given.err,
      "hetplan: 10 layers, max micro-batch 8: from the profiles (give --num-layers, --max-bs to change)\n" +
          std::string(kDefaultsSaid));
  const auto all_given =
      plan({"--max-tp", "2", "--model-name", "mine", "--num-layers", "10", "--max-bs", "8", "--json"});
  ASSERT_EQ(all_given.exit_code, 0) << all_given.err;
  EXPECT_EQ(times_blanked(given.out), times_blanked(all_given.out));

  // A layer count the profiles contradict is still refused, naming it.
  const auto wrong = plan({"--num-layers", "12"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_THAT(wrong.err, HasSubstr("num_layers is 12"));
}

// The page's measured case (tests/browser/profiles.spec.mjs): the same values and step counts.
TEST_F(CliTest, MeasuredOpt350ProfilesGiveThePagesValues) {
  const fs::path golden = golden_dir();
  if (golden.empty()) GTEST_SKIP() << "../shared/golden is absent";
  const fs::path dir = golden / "real-opt350-a100-v100-g16";
  const auto r = run({"plan", "--hostfile", (dir / "hostfile").string(), "--clusterfile",
                      (dir / "clusterfile.json").string(), "--profiles", (dir / "profiles").string(), "--gbs",
                      "128", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err,
            "hetplan: model OPT-350, 26 layers, max tp 4, max micro-batch 8: from the profiles (give "
            "--model-name, --num-layers, --max-tp, --max-bs to change)\n" +
                std::string(kDefaultsSaid));
  EXPECT_THAT(r.out, HasSubstr(R"("strategy":"metis","cost_model":"corrected","count":46874,)"));
  EXPECT_THAT(r.out, HasSubstr(R"("strategy":"pruned","cost_model":"corrected","count":47138,)"));
}

}  // namespace
}  // namespace hetplan::cli_test

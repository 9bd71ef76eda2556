// The synthetic generator's direct path: the profile set it builds must be the one its files give when read,
// bit for bit, since searches of the page's cases and of the CLI's case folders must agree.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "hetplan/json_api.hpp"
#include "hetplan/parse.hpp"
#include "hetplan/synth.hpp"
#include "profile_compare.hpp"

namespace hetplan {
namespace {

struct Spec {
  int layers;
  int max_bs;
  std::vector<SynthType> types;
};

class DirectSet : public ::testing::TestWithParam<Spec> {};

TEST_P(DirectSet, EqualsTheSetItsFilesGive) {
  const Spec& s = GetParam();
  auto files = synth_profile_files(s.layers, s.max_bs, s.types);
  ASSERT_TRUE(files.ok()) << files.error().message;
  auto read = parse_profiles(*files, "somewhere");
  ASSERT_TRUE(read.ok()) << read.error().message;
  auto direct = synth_profile_set(s.layers, s.max_bs, s.types, "somewhere");
  ASSERT_TRUE(direct.ok()) << direct.error().message;

  const std::size_t compared = testing::expect_same_profiles(*direct, *read);
  EXPECT_EQ(compared, files->size());
}

INSTANTIATE_TEST_SUITE_P(
    Specs, DirectSet,
    ::testing::Values(Spec{2, 1, reference_synth_types()}, Spec{10, 128, reference_synth_types()},
                      Spec{40, 128, reference_synth_types()},
                      // Uneven factors, a batch bound that is not a power of two, a name holding "_tp" and
                      // "_bs", names out of byte order.
                      Spec{7, 100, {{"V100", 3.5}, {"A100", 1}, {"T4", 1.7}, {"H100", 0.37}}},
                      Spec{33, 3, {{"X_tp2_bs4", 1.23456789}, {"B", 1e-3}}},
                      Spec{12, 65536, {{"big", 7.25}}}));

TEST(DirectSet, SameErrorsAsTheFiles) {
  for (const Spec& s : {Spec{1, 8, reference_synth_types()}, Spec{8, 0, reference_synth_types()},
                        Spec{8, 8, {}}, Spec{8, 8, {{"", 1}}}, Spec{8, 8, {{"A", 0}}}}) {
    auto files = synth_profile_files(s.layers, s.max_bs, s.types);
    auto direct = synth_profile_set(s.layers, s.max_bs, s.types, "f");
    ASSERT_FALSE(files.ok());
    ASSERT_FALSE(direct.ok());
    EXPECT_EQ(direct.error().message, files.error().message);
  }
}

// A type twice would write its files twice; both ways refuse it before generating anything.
TEST(DirectSet, ATypeTwiceIsRefusedBothWays) {
  const std::vector<SynthType> twice{{"A100", 1}, {"A100", 2}};
  auto files = synth_profile_files(4, 2, twice);
  auto direct = synth_profile_set(4, 2, twice, "f");
  ASSERT_FALSE(files.ok());
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(files.error().message, "device type A100 is given twice");
  EXPECT_EQ(direct.error().message, files.error().message);
}

// The second type of a spec refused, where the spec names it: {its JSON, the message}.
TEST(SyntheticSpec, ASecondTypeIsRefusedWhereTheSpecNamesIt) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"name": "A100", "time_factor": 2})",
       "synthetic.json: types[1].name: expected a name no earlier type has, got \"A100\""},
      {R"({"name": "slow", "time_factor": 2e6})",
       "synthetic.json: types[1].time_factor: expected a number > 0 and at most 1000000, got 2000000.0"},
  };
  for (const auto& [second, message] : cases) {
    const std::string spec =
        R"({"layers": 4, "max_batch_size": 2, "types": [{"name": "A100", "time_factor": 1}, )" + second +
        "]}";
    auto set = synthetic_profile_set_json(spec, "synthetic.json", "profiles");
    ASSERT_FALSE(set.ok()) << second;
    EXPECT_EQ(set.error().message, message);
  }
}

}  // namespace
}  // namespace hetplan

// What profiles tell of the model and the bounds (the page's rule, web/profile-facts.js), and the values a
// case takes from them when the user leaves them out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hetplan/parse.hpp"
#include "hetplan/profile_facts.hpp"
#include "hetplan/synth.hpp"

namespace hetplan {
namespace {

const std::vector<SynthType> kThreeTypes = {{"A100", 1}, {"V100", 3.5}, {"T4", 2}};

// gen-profiles' set of 6 layers up to micro-batch 8 (tp 1 to 8) for A100, V100 and T4, less the tp 8 entries
// of A100 and V100 and the bs 8 entries of V100.
ProfileSet uneven_set() {
  auto set = synth_profile_set(6, 8, kThreeTypes, "p");
  EXPECT_TRUE(set.ok()) << set.error().message;
  for (int bs : {1, 2, 4, 8}) {
    set->entries["A100"].erase({8, bs});
    set->entries["V100"].erase({8, bs});
  }
  for (int tp : {1, 2, 4}) set->entries["V100"].erase({tp, 8});
  return *set;
}

TEST(ProfileFacts, TheLargestTpAndMicroBatchOverTheTypesAsked) {
  const ProfileSet set = uneven_set();
  const ProfileFacts cluster = profile_facts(set, {"A100", "V100"});
  EXPECT_EQ(cluster.model_name, "GPT3");
  EXPECT_EQ(cluster.num_layers, 6);
  EXPECT_EQ(cluster.max_tp, 4);
  EXPECT_EQ(cluster.max_bs, 8);  // A100's; V100 stops at 4

  const ProfileFacts v100 = profile_facts(set, {"V100"});
  EXPECT_EQ(v100.max_tp, 4);
  EXPECT_EQ(v100.max_bs, 4);

  const ProfileFacts all = profile_facts(set, {"A100", "T4", "V100"});
  EXPECT_EQ(all.max_tp, 8);
  EXPECT_EQ(all.max_bs, 8);

  // A type without profiles tells nothing (make_case refuses it).
  const ProfileFacts none = profile_facts(set, {"H100"});
  EXPECT_EQ(none.max_tp, 0);
  EXPECT_EQ(none.max_bs, 0);
  EXPECT_EQ(none.num_layers, 6);
}

// gen-profiles' nine files of A100 (tp and micro-batch 1, 2, 4), in byte order of their names, with the
// model.model_name of the first ones set to `names` (JSON values; null leaves the key out) and left out of
// the rest.
std::vector<TextFile> files_named(const std::vector<nlohmann::json>& names) {
  auto files = synth_profile_files(4, 4, {{"A100", 1}});
  EXPECT_TRUE(files.ok());
  for (std::size_t i = 0; i < files->size(); ++i) {
    auto j = nlohmann::ordered_json::parse((*files)[i].text);
    j["model"].erase("model_name");
    if (i < names.size() && !names[i].is_null()) j["model"]["model_name"] = names[i];
    (*files)[i].text = j.dump();
  }
  return *files;
}

TEST(ProfileFacts, TheModelNameIsTheFirstGivenInByteOrderTrimmed) {
  const struct {
    std::vector<nlohmann::json> names;
    std::string expected;
  } cases[] = {
      {{nullptr, "  OPT-350 \n", "other", "another"}, "OPT-350"},
      {{"   ", 350, "\tOPT-350", nullptr}, "OPT-350"},
      {{}, ""},
      {{"", " ", nlohmann::json::array(), false}, ""},
  };
  for (const auto& c : cases) {
    auto set = parse_profiles(files_named(c.names), "p");
    ASSERT_TRUE(set.ok()) << set.error().message;
    EXPECT_EQ(set->model.name, c.expected);
    EXPECT_EQ(profile_facts(*set, {"A100"}).model_name, c.expected);
  }
}

TEST(TakeFromProfiles, OnlyWhatIsMarkedAndTold) {
  const ProfileFacts facts{"OPT-350", 26, 4, 8};
  CaseArgs args;
  args.model_name = "mine";
  args.model.num_layers = 3;
  args.from_profiles.num_layers = true;
  args.from_profiles.max_bs = true;
  const FromProfiles taken = take_from_profiles(args, facts);
  EXPECT_FALSE(taken.model_name);
  EXPECT_TRUE(taken.num_layers);
  EXPECT_FALSE(taken.max_tp);
  EXPECT_TRUE(taken.max_bs);
  EXPECT_EQ(args.model_name, "mine");
  EXPECT_EQ(args.model.num_layers, 26);
  EXPECT_EQ(args.bounds.max_tp, 128);
  EXPECT_EQ(args.bounds.max_bs, 8);

  // Profiles without a model name leave the name as it is, and say they did not give it.
  CaseArgs unnamed;
  unnamed.from_profiles = {true, true, true, true};
  const FromProfiles from_unnamed = take_from_profiles(unnamed, ProfileFacts{"", 26, 4, 8});
  EXPECT_FALSE(from_unnamed.model_name);
  EXPECT_EQ(unnamed.model_name, "GPT");
  EXPECT_TRUE(from_unnamed.num_layers && from_unnamed.max_tp && from_unnamed.max_bs);
}

TEST(TakeFromProfiles, MakeCaseTakesThemOverTheClustersTypes) {
  auto files = synth_profile_files(6, 8, kThreeTypes);
  ASSERT_TRUE(files.ok());
  std::vector<TextFile> kept;
  for (const auto& f : *files) {
    if (f.name.find("A100_tp8") == std::string::npos && f.name.find("V100_tp8") == std::string::npos)
      kept.push_back(f);
  }
  const auto hostfile = synth_hostfile(4);  // 4 V100 and 4 A100
  ASSERT_TRUE(hostfile.ok());
  CaseArgs args;
  args.bounds.gbs = 16;
  args.from_profiles = {true, true, true, true};
  auto c =
      case_from_texts({"hostfile", *hostfile}, {"clusterfile", reference_clusterfile()}, kept, "p", args);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->model_name, "GPT3");
  EXPECT_EQ(c->model.num_layers, 6);
  EXPECT_EQ(c->bounds.max_tp, 4);  // T4, profiled up to tp 8, is in no node
  EXPECT_EQ(c->bounds.max_bs, 8);
  EXPECT_TRUE(c->taken_from_profiles.model_name && c->taken_from_profiles.num_layers &&
              c->taken_from_profiles.max_tp && c->taken_from_profiles.max_bs);

  // Nothing marked: the values given, and nothing said to be taken.
  args.from_profiles = {};
  args.model.num_layers = 6;
  auto given =
      case_from_texts({"hostfile", *hostfile}, {"clusterfile", reference_clusterfile()}, kept, "p", args);
  ASSERT_TRUE(given.ok()) << given.error().message;
  EXPECT_EQ(given->model_name, "GPT");
  EXPECT_EQ(given->bounds.max_tp, 128);
  EXPECT_FALSE(given->taken_from_profiles.any());
}

}  // namespace
}  // namespace hetplan

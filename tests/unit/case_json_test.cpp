// A case JSON's "profiles" may hold each profile as an object or as its text: both must give the same set and
// the same messages (objects are read as they are, text is parsed first).
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "hetplan/json_api.hpp"
#include "hetplan/synth.hpp"
#include "profile_compare.hpp"

namespace hetplan {
namespace {

using nlohmann::ordered_json;

// Row 1 of the published table as a case JSON, its profiles as objects or as text.
ordered_json row1_case(bool profiles_as_text) {
  ordered_json c;
  c["hostfile"] = *synth_hostfile(16);
  c["clusterfile"] = ordered_json::parse(reference_clusterfile());
  c["args"] = {{"num_layers", 10}, {"gbs", 128}};
  auto files = synth_profile_files(10, 128, reference_synth_types());
  for (const TextFile& f : *files) {
    c["profiles"][f.name] = profiles_as_text ? ordered_json(f.text) : ordered_json::parse(f.text);
  }
  return c;
}

TEST(CaseJson, ProfilesAsObjectsOrTextGiveTheSameSet) {
  auto objects = case_from_json(row1_case(false).dump(), "case");
  auto texts = case_from_json(row1_case(true).dump(), "case");
  ASSERT_TRUE(objects.ok()) << objects.error().message;
  ASSERT_TRUE(texts.ok()) << texts.error().message;
  EXPECT_EQ(testing::expect_same_profiles(objects->profiles, texts->profiles),
            synth_profile_files(10, 128, reference_synth_types())->size());
  // And the set the generator builds directly, with the same sources.
  auto direct = synth_profile_set(10, 128, reference_synth_types(), "case: profiles");
  ASSERT_TRUE(direct.ok());
  testing::expect_same_profiles(objects->profiles, *direct);
}

TEST(CaseJson, AFieldWrongInAnObjectOrInTextGivesOneMessage) {
  for (const bool as_text : {false, true}) {
    ordered_json c = row1_case(false);
    ordered_json& p = c["profiles"]["DeviceType.V100_tp2_bs4.json"];
    p["execution_time"]["layer_compute_total_ms"][3] = "slow";
    if (as_text) p = p.dump();
    auto r = case_from_json(c.dump(), "case");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(
        r.error().message,
        "case: profiles/DeviceType.V100_tp2_bs4.json: execution_time.layer_compute_total_ms[3]: expected "
        "a number >= 0, got \"slow\"");
  }
}

TEST(CaseJson, AProfileTextThatIsNotJsonNamesTheFile) {
  ordered_json c = row1_case(true);
  c["profiles"]["DeviceType.A100_tp1_bs1.json"] = "{\"model\": ";
  auto r = case_from_json(c.dump(), "case");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message.rfind("case: profiles/DeviceType.A100_tp1_bs1.json: not valid JSON (line 1, ", 0), 0U)
      << r.error().message;
}

}  // namespace
}  // namespace hetplan

// The synthetic generator against files the reference generator wrote: every field, to 1e-12 relative.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "files.hpp"
#include "hetplan/synth.hpp"

namespace fs = std::filesystem;

namespace hetplan {
namespace {

// Compares two JSON values field by field; numbers to 1e-12 relative. Returns the first difference.
std::string diff(const nlohmann::json& a, const nlohmann::json& b, const std::string& path) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>();
    const double y = b.get<double>();
    return std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y))
               ? ""
               : path + ": " + a.dump() + " vs " + b.dump();
  }
  if (a.type() != b.type()) return path + ": type differs";
  if (a.is_object()) {
    if (a.size() != b.size()) return path + ": different keys";
    for (const auto& [k, v] : a.items()) {
      if (!b.contains(k)) return path + "." + k + ": missing";
      if (auto d = diff(v, b[k], path + "." + k); !d.empty()) return d;
    }
    return "";
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return path + ": lengths differ";
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (auto d = diff(a[i], b[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
    }
    return "";
  }
  return a == b ? "" : path + ": " + a.dump() + " vs " + b.dump();
}

void expect_same_files(const fs::path& folder, const std::vector<SynthType>& types, int layers) {
  if (!fs::exists(folder)) GTEST_SKIP() << "no " << folder << " (shared data not beside this clone)";
  auto expected = cli::read_profile_folder(folder);
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  auto ours = synth_profile_files(layers, 128, types);
  ASSERT_TRUE(ours.ok());
  std::map<std::string, std::string> by_name;
  for (const auto& f : *ours) by_name[f.name] = f.text;
  ASSERT_EQ(by_name.size(), expected->size());
  for (const auto& f : *expected) {
    ASSERT_EQ(by_name.count(f.name), 1U) << f.name;
    EXPECT_EQ(diff(nlohmann::json::parse(by_name[f.name]), nlohmann::json::parse(f.text), f.name), "");
  }
}

TEST(SynthProfiles, TableRowOneEqualsTheReferenceGenerator) {
  expect_same_files(fs::path(HETPLAN_SHARED_DIR) / "golden/table1-row1/profiles", reference_synth_types(),
                    10);
}

TEST(SynthProfiles, ThreeTypesEqualTheGoldenCase) {
  expect_same_files(fs::path(HETPLAN_SHARED_DIR) / "golden/synth3-a100-v100-t4-l8-g16/profiles",
                    {{"A100", 1}, {"V100", 3.5}, {"T4", 5}}, 8);
}

TEST(SynthProfiles, SmallBatchLimitKeepsOnlyTheSamples) {
  auto files = synth_profile_files(4, 2, reference_synth_types());
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 18U);  // tp 1, 2, 4 x bs 1, 2, 4, for two types
}

TEST(SynthHostfile, MatchesTheReferenceScript) {
  EXPECT_EQ(*synth_hostfile(8), "0.0.0.1 slots=4\n0.0.0.1 slots=4\n0.0.0.4 slots=4\n0.0.0.4 slots=4\n");
  EXPECT_FALSE(synth_hostfile(3).ok());
}

}  // namespace
}  // namespace hetplan

#include "profile_compare.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace hetplan::testing {

namespace {

std::uint64_t bits(double x) {
  std::uint64_t b = 0;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

std::vector<std::uint64_t> bits(const std::vector<double>& v) {
  std::vector<std::uint64_t> out;
  out.reserve(v.size());
  for (double x : v) out.push_back(bits(x));
  return out;
}

}  // namespace

std::size_t expect_same_profiles(const ProfileSet& actual, const ProfileSet& expected) {
  EXPECT_EQ(actual.types, expected.types);
  EXPECT_EQ(actual.model.source_file, expected.model.source_file);
  EXPECT_EQ(bits(actual.model.optimizer_time), bits(expected.model.optimizer_time));
  EXPECT_EQ(bits(actual.model.batch_generator), bits(expected.model.batch_generator));
  EXPECT_EQ(bits(actual.model.parameters_per_layer), bits(expected.model.parameters_per_layer));
  EXPECT_EQ(actual.model.num_layers, expected.model.num_layers);
  EXPECT_EQ(actual.model.name, expected.model.name);
  EXPECT_EQ(actual.entries.size(), expected.entries.size());
  std::size_t compared = 0;
  for (const auto& [type, entries] : expected.entries) {
    const auto mine = actual.entries.find(type);
    if (mine == actual.entries.end()) {
      ADD_FAILURE() << "no entries for " << type;
      continue;
    }
    EXPECT_EQ(mine->second.size(), entries.size()) << type;
    for (const auto& [key, e] : entries) {
      const auto d = mine->second.find(key);
      if (d == mine->second.end()) {
        ADD_FAILURE() << "no entry " << type << " tp" << key.first << " bs" << key.second;
        continue;
      }
      EXPECT_EQ(d->second.source, e.source);
      EXPECT_EQ(bits(d->second.layer_times), bits(e.layer_times)) << e.source;
      EXPECT_EQ(bits(d->second.layer_time_sum), bits(e.layer_time_sum)) << e.source;
      EXPECT_EQ(bits(d->second.fb_sync), bits(e.fb_sync)) << e.source;
      EXPECT_EQ(bits(d->second.layer_memory), bits(e.layer_memory)) << e.source;
      ++compared;
    }
  }
  return compared;
}

}  // namespace hetplan::testing

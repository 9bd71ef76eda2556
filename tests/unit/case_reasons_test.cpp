// The largest scale variance that leaves a device group, against the device-group counts themselves.
#include <gtest/gtest.h>

#include <cstddef>

#include "enumerate/device_groups.hpp"
#include "search/case_reasons.hpp"

namespace hetplan::internal {
namespace {

bool any_groups(int gpus, int max_stages, double variance) {
  for (int s = 1; s <= max_stages; ++s) {
    if (count_device_groups_for_stages(s, gpus, variance, 128, SIZE_MAX - 1).lists > 0) return true;
  }
  return false;
}

// At the variance it names some stage count has device groups, and a little above it none has.
TEST(LargestVariance, IsWhereTheDeviceGroupsRunOut) {
  for (int gpus = 1; gpus <= 40; ++gpus) {
    for (int stages = 1; stages <= gpus; ++stages) {
      SCOPED_TRACE(std::to_string(gpus) + " GPUs, up to " + std::to_string(stages) + " stages");
      const double largest = largest_variance_with_groups(gpus, stages);
      if (largest < 0) {
        EXPECT_FALSE(any_groups(gpus, stages, 0));
        continue;
      }
      EXPECT_TRUE(any_groups(gpus, stages, largest));
      EXPECT_FALSE(any_groups(gpus, stages, largest * 1.001));
    }
  }
}

TEST(LargestVariance, CasesOfTheIssue) {
  EXPECT_EQ(largest_variance_with_groups(16, 15), 1);  // 16 GPUs, 15 layers
  EXPECT_EQ(largest_variance_with_groups(12, 12), 1);  // 12 GPUs: 3 stages of 4
  EXPECT_EQ(largest_variance_with_groups(7, 2), -1);   // 7 GPUs need 3 power-of-two stages
}

}  // namespace
}  // namespace hetplan::internal

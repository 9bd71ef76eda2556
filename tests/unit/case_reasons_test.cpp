// The largest scale variance that leaves a device group, against the device-group counts themselves; and the
// counts in the reasons' sentences.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "enumerate/device_groups.hpp"
#include "hetplan/reasons.hpp"
#include "search/case_reasons.hpp"
#include "util/grouped.hpp"

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

// Counts in sentences read as the tables print them: "1,420,000 candidates", not "1420000 candidates".
TEST(ReasonTexts, GroupTheirCountsInThrees) {
  EXPECT_EQ(grouped(0), "0");
  EXPECT_EQ(grouped(999), "999");
  EXPECT_EQ(grouped(1000), "1,000");
  EXPECT_EQ(grouped(-1234567), "-1,234,567");
  EXPECT_EQ(grouped(INT64_MIN), "-9,223,372,036,854,775,808");
  SearchResult r;
  r.skipped_candidates = 1420000;
  r.out_of_memory = 22358;
  r.inter_plans = 1;
  const auto reasons = all_reasons(r);
  ASSERT_GE(reasons.size(), 2U);
  EXPECT_EQ(reasons[0].text.rfind("1,420,000 candidates skipped for want of a profile entry", 0), 0U)
      << reasons[0].text;
  EXPECT_NE(reasons[1].text.find("the 22,358 candidates the search could estimate"), std::string::npos)
      << reasons[1].text;
  EXPECT_NE(reasons[1].text.find("and the other 1,420,000 were skipped"), std::string::npos)
      << reasons[1].text;
}

}  // namespace
}  // namespace hetplan::internal

// Device groups: shapes, multisets, unit merging and the order of multiset permutations. Expected orders were
// produced by the reference planner for the same inputs.
#include <gtest/gtest.h>

#include "hetplan/internal/device_groups.hpp"

namespace hetplan::internal {
namespace {

using Lists = std::vector<std::vector<int>>;

TEST(GroupShapes, PowersOfTwoUpToTheGpuCount) {
  EXPECT_EQ(group_shapes(1), (std::vector<int>{1}));
  EXPECT_EQ(group_shapes(12), (std::vector<int>{1, 2, 4, 8}));
  EXPECT_EQ(group_shapes(32), (std::vector<int>{1, 2, 4, 8, 16, 32}));
}

TEST(StageSizeMultisets, NonDecreasingListsInLexicographicOrder) {
  EXPECT_EQ(stage_size_multisets(3, 8, {1, 2, 4, 8}), (Lists{{2, 2, 4}}));
  EXPECT_EQ(stage_size_multisets(3, 6, {1, 2, 4}), (Lists{{1, 1, 4}, {2, 2, 2}}));
  EXPECT_EQ(stage_size_multisets(2, 5, {1, 2, 4}), (Lists{{1, 4}}));
  EXPECT_TRUE(stage_size_multisets(2, 3, {2}).empty());
  EXPECT_TRUE(stage_size_multisets(1, 4, {}).empty());
}

TEST(CoolLex, DistinctOrdersStartingFromTheNonIncreasingOne) {
  EXPECT_EQ(coollex_multiset_orders({1, 1, 2}), (Lists{{2, 1, 1}, {1, 2, 1}, {1, 1, 2}}));
  EXPECT_EQ(coollex_multiset_orders({5}), (Lists{{5}}));
  EXPECT_EQ(coollex_multiset_orders({3, 3}), (Lists{{3, 3}}));
  // 4! / 2! = 12 orders of {4, 2, 1, 1}, in the reference's order.
  EXPECT_EQ(coollex_multiset_orders({1, 1, 2, 4}), (Lists{{4, 2, 1, 1},
                                                          {1, 4, 2, 1},
                                                          {4, 1, 2, 1},
                                                          {1, 4, 1, 2},
                                                          {1, 1, 4, 2},
                                                          {4, 1, 1, 2},
                                                          {2, 4, 1, 1},
                                                          {1, 2, 4, 1},
                                                          {2, 1, 4, 1},
                                                          {1, 2, 1, 4},
                                                          {1, 1, 2, 4},
                                                          {2, 1, 1, 4}}));
}

TEST(MergeUnits, PairsTheSmallestEqualGroupsUntilTheLimit) {
  EXPECT_EQ(merge_units({1, 1, 2, 4}, 128), (Lists{{1}, {1}, {2}, {4}}));
  EXPECT_EQ(merge_units({1, 1, 1, 1, 2, 2}, 4), (Lists{{1, 1}, {1, 1}, {2}, {2}}));
  EXPECT_EQ(merge_units({4, 4, 4, 4, 8, 8}, 2), (Lists{{4, 4, 4, 4}, {8, 8}}));
}

TEST(DeviceGroupsForStages, ExpandsMultisetsWithMergedUnits) {
  EXPECT_EQ(device_groups_for_stages(2, 16, 1, 128), (Lists{{8, 8}}));
  EXPECT_TRUE(device_groups_for_stages(3, 16, 1, 128).empty());
  EXPECT_EQ(device_groups_for_stages(4, 32, 1, 2), (Lists{{8, 8, 8, 8}}));
  EXPECT_EQ(device_groups_for_stages(3, 12, 1, 128), (Lists{{4, 4, 4}}));
  EXPECT_TRUE(device_groups_for_stages(2, 12, 1, 128).empty());
  EXPECT_EQ(device_groups_for_stages(4, 16, 0, 128).size(), 13U);
  EXPECT_EQ(device_groups_for_stages(6, 8, 1, 4), (Lists{{2, 2, 1, 1, 1, 1},
                                                         {1, 1, 2, 2, 1, 1},
                                                         {2, 1, 1, 2, 1, 1},
                                                         {1, 1, 2, 1, 1, 2},
                                                         {1, 1, 1, 1, 2, 2},
                                                         {2, 1, 1, 1, 1, 2}}));
}

}  // namespace
}  // namespace hetplan::internal

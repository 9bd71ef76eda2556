// Device groups: shapes, multisets, unit merging and the order of multiset permutations. Expected orders were
// produced by the reference planner for the same inputs.
#include <gtest/gtest.h>

#include "enumerate/device_groups.hpp"

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

// The count, which visits the multisets without building their orders, and the build agree; one object
// counts and builds stage count after stage count, as the inter-stage space uses it.
TEST(DeviceGroups, CountsWhatItBuilds) {
  for (int gpus : {1, 6, 12, 16, 24, 32}) {
    for (double variance : {0.0, 0.5, 1.0}) {
      for (int permute : {2, 4, 128}) {
        DeviceGroups groups(gpus, variance, permute);
        for (int stages = 1; stages <= 12; ++stages) {
          const GroupCount count = groups.count(stages, 1000);
          Lists built;
          groups.build(stages, built);
          ASSERT_TRUE(count.complete);
          EXPECT_EQ(count.lists, static_cast<std::int64_t>(built.size()))
              << gpus << " GPUs, " << stages << " stages, variance " << variance << ", permute " << permute;
          EXPECT_EQ(built, device_groups_for_stages(stages, gpus, variance, permute));
        }
      }
    }
  }
}

// The cursor makes list g of a stage count when asked, holding none: walked in order, stage count after stage
// count (as a search walks a node order's blocks), and asked out of order (back, forward past whole
// multisets, another stage count and back), it gives the lists build() gives.
TEST(ListCursor, GivesTheListsTheBuildGivesInAnyOrderAsked) {
  for (int gpus : {6, 12, 16, 32}) {
    for (double variance : {0.0, 1.0}) {
      for (int permute : {2, 4, 128}) {
        SCOPED_TRACE(std::to_string(gpus) + " GPUs, variance " + std::to_string(variance) + ", permute " +
                     std::to_string(permute));
        std::vector<Lists> built(13);
        for (int stages = 1; stages <= 12; ++stages) {
          built[static_cast<std::size_t>(stages)] = device_groups_for_stages(stages, gpus, variance, permute);
        }
        ListCursor cursor(gpus, variance, permute);
        std::size_t asked = 0;
        for (int pass = 0; pass < 2; ++pass) {
          for (int stages = 1; stages <= 12; ++stages) {
            const Lists& lists = built[static_cast<std::size_t>(stages)];
            for (std::size_t g = 0; g < lists.size(); ++g) {
              ASSERT_EQ(cursor.at(stages, static_cast<std::int64_t>(g)), lists[g])
                  << stages << " stages, list " << g;
              ++asked;
            }
          }
        }
        // Out of order: a fixed pseudo-random sequence of (stage count, list).
        std::uint32_t state = 12345;
        auto next = [&state] { return state = (state * 1103515245U) + 12345U; };
        for (int i = 0; i < 500; ++i) {
          const int stages = 1 + static_cast<int>((next() >> 8) % 12);
          const Lists& lists = built[static_cast<std::size_t>(stages)];
          if (lists.empty()) continue;
          const std::size_t g = (next() >> 8) % lists.size();
          ASSERT_EQ(cursor.at(stages, static_cast<std::int64_t>(g)), lists[g])
              << stages << " stages, list " << g;
          ++asked;
        }
        EXPECT_GT(asked, 0U);
      }
    }
  }
}

TEST(DeviceGroups, CountGivesUpPastTheMultisetLimit) {
  // 8 GPUs in 4 stages: the multisets {1, 1, 2, 4} (12 orders) and {2, 2, 2, 2} (1 order).
  EXPECT_TRUE(count_device_groups_for_stages(4, 8, 0, 128, 2).complete);
  const GroupCount stopped = count_device_groups_for_stages(4, 8, 0, 128, 1);
  EXPECT_FALSE(stopped.complete);
  EXPECT_EQ(stopped.lists, 12 + 1);  // both multisets were visited: the one past the limit counts too
}

}  // namespace
}  // namespace hetplan::internal

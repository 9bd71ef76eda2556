// The inter-stage enumeration: node orders, blocks, the relabelled first block of later node orders, indices.
#include <gtest/gtest.h>

#include "enumerate/inter_stage.hpp"

namespace hetplan::internal {
namespace {

TEST(InterStageSpace, TableRowOneHasTheReferenceBlocks) {
  // 16 A100 + 16 V100, 10 layers, gbs 128: stage counts 1, 2, 4, 7, 8 have device groups under variance 1.
  InterStageSpace space({"V100", "A100"}, 32, 10, 128, 1, 128);
  ASSERT_EQ(space.node_orders().size(), 2U);
  EXPECT_EQ(space.node_orders()[0], (std::vector<std::string>{"A100", "V100"}));
  EXPECT_EQ(space.node_orders()[1], (std::vector<std::string>{"V100", "A100"}));
  EXPECT_EQ(space.batch_options(), (std::vector<int>{128, 64, 32, 16, 8, 4, 2, 1}));
  ASSERT_EQ(space.blocks().size(), 10U);
  // First node order: labels 1, 2, 4, 7, 8 with their own groups.
  EXPECT_EQ(space.blocks()[0].label, 1);
  EXPECT_EQ(space.blocks()[0].stage_count, 1);
  EXPECT_EQ(space.blocks()[1].label, 2);
  EXPECT_EQ(space.blocks()[3].label, 7);
  EXPECT_EQ(space.list_count(7), 7);  // six 4s and an 8, in each of 7 places
  EXPECT_EQ(space.blocks()[4].label, 8);
  // Second node order: a block labelled 1 that holds the 2-stage groups, then 2, 4, 7, 8 again.
  EXPECT_EQ(space.blocks()[5].node_order, 1);
  EXPECT_EQ(space.blocks()[5].label, 1);
  EXPECT_EQ(space.blocks()[5].stage_count, 2);
  EXPECT_EQ(space.blocks()[5].first_index, 88);
  EXPECT_EQ(space.blocks()[6].label, 2);
  EXPECT_EQ(space.total(), 176);
}

TEST(InterStageSpace, ShardsPartitionTheIndicesInOrder) {
  InterStageSpace space({"A100", "V100"}, 32, 10, 128, 1, 128);
  std::vector<std::int64_t> all;
  ListCursor lists = space.cursor();
  space.for_each(0, 1, lists, [&](const InterStagePlan& p) {
    all.push_back(p.index);
    return true;
  });
  ASSERT_EQ(static_cast<std::int64_t>(all.size()), space.total());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<std::int64_t>(i));
  // Shards take whole device-group lists (8 batch options each, gbs 128): shard 2 of 3 gets lists 2, 5, 8...
  const std::int64_t nb = 8;
  ASSERT_EQ(static_cast<std::int64_t>(space.batch_options().size()), nb);
  std::vector<std::int64_t> sizes;
  std::vector<bool> seen(all.size(), false);
  for (int s = 0; s < 3; ++s) {
    std::vector<std::int64_t> shard;
    ListCursor shard_lists = space.cursor();
    space.for_each(s, 3, shard_lists, [&](const InterStagePlan& p) {
      shard.push_back(p.index);
      return true;
    });
    for (std::size_t i = 0; i < shard.size(); ++i) {
      const auto list = static_cast<std::int64_t>(i) / nb;
      EXPECT_EQ(shard[i], (3 * list + s) * nb + static_cast<std::int64_t>(i) % nb);
      EXPECT_EQ(space.shard_of(shard[i], 3), s);
      EXPECT_FALSE(seen[static_cast<std::size_t>(shard[i])]);
      seen[static_cast<std::size_t>(shard[i])] = true;
    }
    EXPECT_EQ(static_cast<std::int64_t>(shard.size()), space.shard_size(s, 3));
    sizes.push_back(static_cast<std::int64_t>(shard.size()));
  }
  // 176 plans = 22 lists: 8, 7 and 7 lists.
  EXPECT_EQ(sizes, (std::vector<std::int64_t>{64, 56, 56}));
}

TEST(InterStageSpace, PlanSevenIsTheWholeClusterWithOneMicroBatch) {
  InterStageSpace space({"A100", "V100"}, 32, 10, 128, 1, 128);
  bool seen = false;
  ListCursor lists = space.cursor();
  space.for_each(0, 1, lists, [&](const InterStagePlan& p) {
    if (p.index != 7) return true;
    seen = true;
    EXPECT_EQ(*p.device_groups, std::vector<int>{32});
    EXPECT_EQ(p.batches, 1);
    EXPECT_EQ(p.label, 1);
    return false;
  });
  EXPECT_TRUE(seen);
}

TEST(InterStageSpace, NonPowerOfTwoClusterSkipsTheMissingOneStageGroups) {
  // 12 GPUs: no single power-of-two group holds them all, so the first block is the 3-stage one.
  InterStageSpace space({"A100", "V100"}, 12, 8, 8, 1, 128);
  ASSERT_FALSE(space.blocks().empty());
  EXPECT_EQ(space.blocks()[0].label, 3);
  EXPECT_GT(space.total(), 0);
}

TEST(InterStageSpace, NoPlansWhenNothingFits) {
  InterStageSpace space({"A100"}, 12, 1, 8, 1, 128);
  EXPECT_EQ(space.total(), 0);
}

}  // namespace
}  // namespace hetplan::internal

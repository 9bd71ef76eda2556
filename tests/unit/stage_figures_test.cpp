// StageFigures keeps figures across plans (per dense entry for the whole search, per node order for mixed
// stages, validity per device groups): every figure it gives must have the bits a fresh object gives for the
// same plan, and the missing-entry log must hold the same keys.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <memory>
#include <vector>

#include "enumerate/inter_stage.hpp"
#include "input/context.hpp"
#include "search/stage_figures.hpp"
#include "synthetic_cases.hpp"

namespace hetplan::internal {
namespace {

std::uint64_t bits(double d) {
  return std::bit_cast<std::uint64_t>(d);
}

// The bounds as the search states them: 1 <= gbs / dp / batches <= max_bs and tp <= max_tp.
bool within_bounds(const Case& c, int dp, int level, int batches) {
  const int per_batch = c.bounds.gbs / dp / batches;
  return per_batch >= 1 && per_batch <= c.bounds.max_bs && (1 << level) <= c.bounds.max_tp;
}

// The synthetic profiles give every (tp, bs) the same layer memory: make each entry's its own, so that a
// figure kept for the wrong entry shows.
void give_each_entry_its_own_memory(Case& c) {
  for (auto& [type, entries] : c.profiles.entries) {
    for (auto& [key, e] : entries) {
      for (double& m : e.layer_memory) m *= 1.0 + (0.01 * key.first) + (0.001 * key.second);
    }
  }
}

void expect_kept_figures_equal_fresh_ones(int row, std::int64_t max_plans, int max_bs = 0) {
  auto c = testing::build(testing::table_row(row));
  ASSERT_TRUE(c.ok());
  give_each_entry_its_own_memory(*c);
  if (max_bs > 0) c->bounds.max_bs = max_bs;
  const CaseTables t(*c);
  const InterStageSpace space(c->cluster.sorted_types(), c->cluster.total_gpus(), c->model.num_layers,
                              c->bounds.gbs, c->bounds.scale_variance, c->bounds.max_permute_len);
  std::vector<std::unique_ptr<NodeOrderTables>> orders;
  for (const auto& names : space.node_orders()) orders.push_back(std::make_unique<NodeOrderTables>(t, names));
  StageFigures kept(t);
  MissingLog kept_log;
  MissingLog fresh_log;
  const int layers = c->model.num_layers;
  std::int64_t plans = 0;
  int mixed_ok = 0;
  ListCursor lists = space.cursor();
  space.for_each(0, 1, lists, [&](const InterStagePlan& plan) -> bool {
    const NodeOrderTables& n = *orders[static_cast<std::size_t>(plan.node_order)];
    StageFigures fresh(t);
    kept.reset(n, plan);
    fresh.reset(n, plan);
    EXPECT_EQ(kept.stages(), fresh.stages());
    for (int s = 0; s < kept.stages(); ++s) {
      EXPECT_EQ(kept.capacity()[static_cast<std::size_t>(s)], fresh.capacity()[static_cast<std::size_t>(s)]);
      for (int level = 0; (kept.group(s) >> level) > 0; ++level) {
        EXPECT_EQ(kept.valid(s, level), within_bounds(*c, kept.group(s) >> level, level, plan.batches));
        // Asked twice: the second answer comes from what the first kept.
        for (int ask = 0; ask < 2; ++ask) {
          double a = -1;
          double b = -1;
          const bool ok = kept.speed(s, level, a, kept_log);
          EXPECT_EQ(ok, fresh.speed(s, level, b, fresh_log)) << "plan " << plan.index << " stage " << s;
          EXPECT_EQ(bits(a), bits(b)) << "plan " << plan.index << " stage " << s << " level " << level;
        }
        for (int first = 0; first <= layers; first += 3) {
          for (int last = first; last <= layers; last += 2) {
            double a = -1;
            double b = -1;
            const bool ok = kept.memory_demand(s, level, first, last, a, kept_log);
            EXPECT_EQ(ok, fresh.memory_demand(s, level, first, last, b, fresh_log));
            if (ok) {
              EXPECT_EQ(bits(a), bits(b));
            }
            mixed_ok += ok ? 1 : 0;
          }
        }
      }
    }
    return ++plans < max_plans;
  });
  EXPECT_GT(mixed_ok, 0);
  EXPECT_EQ(kept_log.keys, fresh_log.keys);
  EXPECT_FALSE(kept_log.keys.empty());  // levels out of bounds ask for entries the profiles lack
}

TEST(StageFigures, KeptFiguresHaveTheBitsOfFreshOnesOnTableRowOne) {
  expect_kept_figures_equal_fresh_ones(1, INT64_MAX);
}

TEST(StageFigures, KeptFiguresHaveTheBitsOfFreshOnesOnTableRowTwo) {
  expect_kept_figures_equal_fresh_ones(2, 3000);
}

TEST(StageFigures, KeptValidityFollowsASmallBatchBound) {
  expect_kept_figures_equal_fresh_ones(1, INT64_MAX, 3);
}

}  // namespace
}  // namespace hetplan::internal

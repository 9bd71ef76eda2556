// PlanCoster keeps figures across plans (per dense entry for the whole search; per node order the stage
// shapes, data-parallel factors and pipeline bandwidths; per device groups the micro-batch splits): every
// estimate it gives must have the bits of a fresh coster's for the same plan, and the missing-entry log must
// hold the same keys.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

#include "cost/cost.hpp"
#include "enumerate/inter_stage.hpp"
#include "input/context.hpp"
#include "search/intra_stage.hpp"
#include "synthetic_cases.hpp"
#include "util/flat_map.hpp"

namespace hetplan::internal {
namespace {

// The caches' map answers as std::unordered_map does, through growth and after clear() (a reused map).
TEST(FlatMap, AnswersAsAnUnorderedMapThroughGrowthAndClears) {
  FlatMap<std::uint64_t, double, std::hash<std::uint64_t>> flat;
  std::mt19937_64 gen(3);
  for (int round = 0; round < 4; ++round) {
    std::unordered_map<std::uint64_t, double> plain;
    flat.clear();
    // Keys packed from small integers, as the caches make them, so that many share their low bits.
    std::uniform_int_distribution<std::uint64_t> part(0, 40);
    for (int i = 0; i < 3000; ++i) {
      const std::uint64_t key = (part(gen) << 32U) | (part(gen) << 8U) | part(gen);
      const double value = static_cast<double>(i) * 0.5;
      auto [entry, fresh] = flat.try_emplace(key);
      const bool plain_fresh = plain.try_emplace(key, value).second;
      ASSERT_EQ(fresh, plain_fresh);
      // A new entry's value is value-initialised, in a slot that may have held nothing yet.
      if (fresh) {
        ASSERT_EQ(entry->second, 0.0);
        entry->second = value;
      }
      ASSERT_EQ(flat.size(), plain.size());
    }
    for (std::uint64_t a = 0; a <= 41; ++a) {
      const std::uint64_t key = (a << 32U) | (a << 8U) | (40 - a);
      auto known = plain.find(key);
      auto* entry = flat.find(key);
      ASSERT_EQ(entry == flat.end(), known == plain.end());
      if (entry != flat.end()) {
        EXPECT_EQ(entry->second, known->second);
      }
    }
    for (const auto& [key, value] : plain) {
      auto* entry = flat.find(key);
      ASSERT_NE(entry, flat.end());
      EXPECT_EQ(entry->second, value);
    }
  }
  // Moved, the entries go along, and the map left behind is empty and takes new ones.
  const std::size_t size = flat.size();
  FlatMap<std::uint64_t, double, std::hash<std::uint64_t>> moved(std::move(flat));
  EXPECT_EQ(moved.size(), size);
  EXPECT_EQ(flat.size(), 0U);  // NOLINT(bugprone-use-after-move): the moved-from state is what is tested
  EXPECT_EQ(flat.find(7), flat.end());
  flat.emplace(7, 1.5);
  ASSERT_NE(flat.find(7), flat.end());
  EXPECT_EQ(flat.find(7)->second, 1.5);
}

std::uint64_t bits(double d) {
  return std::bit_cast<std::uint64_t>(d);
}

// An intra-stage plan for the device groups: each stage at level `level` (or its last), the layers split
// evenly and the first boundary moved by `shift`.
IntraPlan intra_plan(const std::vector<int>& groups, int layers, int level, int shift) {
  IntraPlan p;
  const auto stages = static_cast<int>(groups.size());
  for (int g : groups) {
    const int l = std::min(level, static_cast<int>(std::bit_width(static_cast<unsigned>(g))) - 1);
    p.strategies.emplace_back(g >> l, 1 << l);
  }
  for (int s = 0; s <= stages; ++s) p.layer_partition.push_back(s * layers / stages);
  if (stages > 1) p.layer_partition[1] = std::max(0, p.layer_partition[1] + shift);
  return p;
}

// The synthetic profiles give the types' entries similar layer times: make each entry's its own, so that a
// figure kept for the wrong ranks or entry shows.
void give_each_entry_its_own_times(Case& c) {
  double type_factor = 1.0;
  for (auto& [type, entries] : c.profiles.entries) {
    type_factor += 0.37;
    for (auto& [key, e] : entries) {
      for (double& t : e.layer_times) t *= type_factor + (0.01 * key.first) + (0.001 * key.second);
    }
  }
}

bool has_mixed_stage(const NodeOrderTables& n, const std::vector<int>& groups) {
  std::size_t start = 0;
  for (int g : groups) {
    const auto end = start + static_cast<std::size_t>(g);
    if (std::any_of(n.rank_type.begin() + static_cast<std::ptrdiff_t>(start),
                    n.rank_type.begin() + static_cast<std::ptrdiff_t>(end),
                    [&](int type) { return type != n.rank_type[start]; })) {
      return true;
    }
    start = end;
  }
  return false;
}

InterStageSpace space_of(const Case& c) {
  return {c.cluster.sorted_types(), c.cluster.total_gpus(),  c.model.num_layers, c.bounds.gbs,
          c.bounds.scale_variance,  c.bounds.max_permute_len};
}

// The tables of each node order of the space.
std::vector<std::unique_ptr<NodeOrderTables>> orders_of(const CaseTables& t, const InterStageSpace& space) {
  std::vector<std::unique_ptr<NodeOrderTables>> orders;
  for (const auto& names : space.node_orders()) orders.push_back(std::make_unique<NodeOrderTables>(t, names));
  return orders;
}

void expect_kept_estimates_equal_fresh_ones(int row, std::int64_t max_plans, CostModel model) {
  auto c = testing::build(testing::table_row(row));
  ASSERT_TRUE(c.ok());
  give_each_entry_its_own_times(*c);
  const CaseTables t(*c);
  const InterStageSpace space = space_of(*c);
  const auto orders = orders_of(t, space);
  MissingLog kept_log;
  MissingLog fresh_log;
  PlanCoster kept(t, model, kept_log);
  std::int64_t plans = 0;
  int costed = 0;
  int mixed = 0;
  ListCursor lists = space.cursor();
  space.for_each(0, 1, lists, [&](const InterStagePlan& plan) -> bool {
    const NodeOrderTables& n = *orders[static_cast<std::size_t>(plan.node_order)];
    mixed += has_mixed_stage(n, *plan.device_groups) ? 1 : 0;
    for (int level = 0; level < 3; ++level) {
      for (int shift = -1; shift <= 1; ++shift) {
        const IntraPlan intra = intra_plan(*plan.device_groups, c->model.num_layers, level, shift);
        const std::optional<double> a = kept.estimate(n, plan, intra);
        const std::optional<double> b = estimate_cost(t, n, plan, intra, model, fresh_log);
        EXPECT_EQ(a.has_value(), b.has_value()) << "plan " << plan.index << " level " << level;
        if (a && b) {
          EXPECT_EQ(bits(*a), bits(*b)) << "plan " << plan.index << " level " << level;
        }
        costed += a ? 1 : 0;
      }
    }
    return ++plans < max_plans;
  });
  EXPECT_GT(costed, 0);
  EXPECT_GT(mixed, 0);
  EXPECT_EQ(kept_log.keys, fresh_log.keys);
}

TEST(PlanCoster, KeptEstimatesHaveTheBitsOfFreshOnesOnTableRowOne) {
  expect_kept_estimates_equal_fresh_ones(1, INT64_MAX, CostModel::kCorrected);
}

TEST(PlanCoster, KeptEstimatesHaveTheBitsOfFreshOnesOnTableRowTwo) {
  expect_kept_estimates_equal_fresh_ones(2, 3000, CostModel::kCorrected);
}

TEST(PlanCoster, KeptReferenceEstimatesHaveTheBitsOfFreshOnes) {
  expect_kept_estimates_equal_fresh_ones(1, INT64_MAX, CostModel::kReference);
}

// optimal's search of one inter-stage plan hands its plans on in chunks (a plan of many stages has millions):
// the plans, in order and numbered on, and the counts are those of one search that holds them all.
TEST(IntraStageSearcher, EveryLevelInChunksGivesThePlansOfOneList) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  const CaseTables t(*c);
  const InterStageSpace space = space_of(*c);
  const auto orders = orders_of(t, space);
  MissingLog log;
  IntraStageSearcher whole(t, Strategy::kMetis, log);
  whole.set_chunk(SIZE_MAX);
  IntraStageSearcher chunked(t, Strategy::kMetis, log);
  chunked.set_chunk(3);
  std::size_t most = 0;
  std::int64_t plans = 0;
  ListCursor lists = space.cursor();
  space.for_each(0, 1, lists, [&](const InterStagePlan& plan) -> bool {
    const NodeOrderTables& n = *orders[static_cast<std::size_t>(plan.node_order)];
    IntraOutcome all;
    whole.search_all(n, plan, all, [](const IntraOutcome&) {
      ADD_FAILURE() << "one chunk holds them all";
      return true;
    });
    std::vector<IntraPlan> got;
    IntraOutcome part;
    int next_index = 0;
    const auto take = [&](const IntraOutcome& o) {
      EXPECT_EQ(o.found, 3U);
      EXPECT_EQ(o.first_index, next_index);
      next_index += static_cast<int>(o.found);
      got.insert(got.end(), o.plans.begin(), o.plans.begin() + static_cast<std::ptrdiff_t>(o.found));
      return true;
    };
    chunked.search_all(n, plan, part, take);
    EXPECT_EQ(part.first_index, next_index);
    got.insert(got.end(), part.plans.begin(), part.plans.begin() + static_cast<std::ptrdiff_t>(part.found));
    EXPECT_EQ(all.first_index, 0);
    EXPECT_EQ(part.steps, all.steps);
    EXPECT_EQ(part.out_of_memory, all.out_of_memory);
    EXPECT_EQ(part.skipped, all.skipped);
    EXPECT_EQ(got.size(), all.found) << "plan " << plan.index;
    for (std::size_t i = 0; i < std::min(got.size(), all.found); ++i) {
      EXPECT_EQ(got[i].strategies, all.plans[i].strategies) << "plan " << plan.index << " #" << i;
      EXPECT_EQ(got[i].layer_partition, all.plans[i].layer_partition) << "plan " << plan.index << " #" << i;
      EXPECT_EQ(got[i].num_repartition, all.plans[i].num_repartition) << "plan " << plan.index << " #" << i;
    }
    most = std::max(most, all.found);
    ++plans;
    return !::testing::Test::HasFailure();
  });
  EXPECT_GT(most, 10U);  // some plan's search spans several chunks
}

}  // namespace
}  // namespace hetplan::internal

// The whole search on synthetic cases built in-project: the reference's step counts, plans costed and best
// plans (figures from the reference implementation), both cost models, shards and cancellation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "hetplan/search.hpp"
#include "synthetic_cases.hpp"

namespace hetplan {
namespace {

using testing::build;
using testing::SyntheticCase;
using testing::table_row;

struct Expected {
  std::string name;
  SyntheticCase input;
  std::int64_t metis_count, metis_costed, pruned_count, pruned_costed;
  double metis_best, pruned_best;
  std::int64_t metis_best_index, pruned_best_index;
};

SyntheticCase with(SyntheticCase s, int layers, const std::string& hostfile) {
  s.layers = layers;
  s.hostfile = hostfile;
  return s;
}

std::vector<Expected> cases() {
  SyntheticCase perm2 = with({}, 10, *synth_hostfile(16));
  perm2.max_permute_len = 2;
  SyntheticCase var0 = with({}, 12, *synth_hostfile(4));
  var0.gbs = 64;
  var0.variance = 0;
  SyntheticCase three = with({}, 8, "0.0.0.4 slots=4\n0.0.0.4 slots=4\n0.0.0.1 slots=4\n0.0.0.3 slots=4\n");
  three.types = {{"A100", 1}, {"V100", 3.5}, {"T4", 5}};
  return {
      {"table1_row1", table_row(1), 612, 206, 562, 183, 1793.551254272461, 1793.551254272461, 7, 7},
      {"table1_row2", table_row(2), 58078, 14631, 41208, 7424, 2073.3752489089966, 2073.3752489089966, 0, 0},
      {"table1_row3", table_row(3), 3734, 454, 3482, 328, 1096.476137638092, 1096.476137638092, 0, 0},
      {"l8_g16", with({}, 8, *synth_hostfile(8)), 1100, 388, 1497, 388, 3012.71680355072, 3012.71680355072, 7,
       7},
      {"l10_g32_perm2", perm2, 303, 96, 303, 96, 1793.551254272461, 1793.551254272461, 7, 7},
      {"l12_g8_gbs64_var0", var0, 1034, 326, 1040, 326, 4161.241965293884, 4161.241965293884, 6, 6},
      {"three_types", three, 4163, 1087, 2537, 899, 3553.6303853988647, 3237.7531377128935, 7, 215},
  };
}

class ReferenceFigures : public ::testing::TestWithParam<Expected> {};

TEST_P(ReferenceFigures, CountsAndBestPlanMatchTheReference) {
  const Expected& e = GetParam();
  auto c = build(e.input);
  ASSERT_TRUE(c.ok()) << c.error().message;
  for (auto s : {Strategy::kMetis, Strategy::kPruned}) {
    SCOPED_TRACE(to_string(s));
    SearchRequest req;
    req.strategy = s;
    req.cost_model = CostModel::kReference;
    auto r = run_search(*c, req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const bool metis = s == Strategy::kMetis;
    EXPECT_EQ(r->count, metis ? e.metis_count : e.pruned_count);
    EXPECT_EQ(r->costed_plans, metis ? e.metis_costed : e.pruned_costed);
    EXPECT_EQ(r->cost_errors, 0);
    ASSERT_EQ(r->top.size(), 1U);
    const double best = metis ? e.metis_best : e.pruned_best;
    EXPECT_LE(std::fabs(r->top[0].cost - best), 1e-9 * best);
    EXPECT_EQ(r->top[0].inter_plan_index, metis ? e.metis_best_index : e.pruned_best_index);
  }
}

INSTANTIATE_TEST_SUITE_P(Synthetic, ReferenceFigures, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

bool same_plans(const std::vector<PlanRecord>& a, const std::vector<PlanRecord>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].cost != b[i].cost || a[i].inter_plan_index != b[i].inter_plan_index ||
        a[i].strategies != b[i].strategies || a[i].layer_partition != b[i].layer_partition ||
        a[i].intra_index != b[i].intra_index) {
      return false;
    }
  }
  return true;
}

// The parts of a search, merged, give what one run gives.
void expect_merged_equals(const std::vector<SearchResult>& parts, const SearchResult& whole, int top_k) {
  const SearchResult merged = merge_results(parts, top_k);
  EXPECT_EQ(merged.count, whole.count);
  EXPECT_EQ(merged.costed_plans, whole.costed_plans);
  EXPECT_EQ(merged.inter_plans, whole.inter_plans);
  EXPECT_EQ(merged.missing_keys, whole.missing_keys);
  EXPECT_TRUE(same_plans(merged.top, whole.top));
}

// Fixed shards, and workers that claim chunks of lists from one pool in whatever order the claims come (here
// three searches in turn over a shuffled chunk order: the first two stop after a few claims, the last takes
// the rest): merged, both give what one run gives.
TEST(Shards, MergedShardsEqualOneRun) {
  SyntheticCase three = cases()[6].input;
  auto c = build(three);
  ASSERT_TRUE(c.ok());
  int batch_options = 0;
  for (int b = 1; b <= c->bounds.gbs; ++b) batch_options += c->bounds.gbs % b == 0 ? 1 : 0;
  for (auto s : {Strategy::kMetis, Strategy::kPruned}) {
    SearchRequest req;
    req.strategy = s;
    req.top_k = 7;
    auto whole = run_search(*c, req);
    ASSERT_TRUE(whole.ok());
    std::vector<SearchResult> parts;
    for (int i = 0; i < 3; ++i) {
      req.shard_index = i;
      req.shard_count = 3;
      auto part = run_search(*c, req);
      ASSERT_TRUE(part.ok());
      parts.push_back(*part);
    }
    EXPECT_GT(parts[0].count, 0);
    EXPECT_LT(parts[0].count, whole->count);
    expect_merged_equals(parts, *whole, 7);

    req.shard_index = 0;
    req.shard_count = 1;
    req.claim_lists = 2;
    const std::int64_t lists = whole->inter_plans / batch_options;
    std::vector<std::int64_t> order;
    for (std::int64_t first = 0; first < lists; first += req.claim_lists) order.push_back(first);
    ASSERT_GE(order.size(), 9U);
    std::reverse(order.begin(), order.end());
    std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(order.size() / 3), order.end());
    std::size_t next = 0;
    parts.clear();
    for (int worker = 0; worker < 3; ++worker) {
      int claims = 0;
      req.claim = [&] {
        return next < order.size() && (worker == 2 || claims++ < 3) ? order[next++] : lists;
      };
      auto part = run_search(*c, req);
      ASSERT_TRUE(part.ok());
      EXPECT_GT(part->inter_plans, 0);
      parts.push_back(*part);
    }
    expect_merged_equals(parts, *whole, 7);
  }
}

TEST(Shards, ClaimsWithAFixedShardAreAnError) {
  auto c = build(table_row(1));
  SearchRequest req;
  req.shard_count = 2;
  req.claim = [] { return std::int64_t{0}; };
  auto r = run_search(*c, req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "a search that claims its work takes chunks of one list or more, and no fixed shard");
}

TEST(Shards, InvalidShardIsAnError) {
  auto c = build(table_row(1));
  SearchRequest req;
  req.shard_index = 3;
  req.shard_count = 3;
  auto r = run_search(*c, req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "shard 3 of 3 does not exist");
}

TEST(Progress, ReportsEveryInterStagePlanAndCanStop) {
  auto c = build(table_row(1));
  std::vector<std::int64_t> steps;
  std::int64_t total = 0;
  auto r = run_search(*c, SearchRequest{}, [&](const SearchProgress& p) {
    steps.push_back(p.steps);
    total = p.inter_total;
    return p.inter_done < 10;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->cancelled);
  EXPECT_EQ(total, 176);
  EXPECT_EQ(steps.size(), 10U);
  EXPECT_EQ(r->inter_plans, 10);
  EXPECT_TRUE(std::is_sorted(steps.begin(), steps.end()));
}

TEST(CostModels, OnlyCostsDiffer) {
  auto c = build(table_row(1));
  SearchRequest req;
  req.top_k = 1000;
  req.cost_model = CostModel::kReference;
  auto ref = run_search(*c, req);
  req.cost_model = CostModel::kCorrected;
  auto cor = run_search(*c, req);
  ASSERT_TRUE(ref.ok() && cor.ok());
  EXPECT_EQ(ref->count, cor->count);
  EXPECT_EQ(ref->costed_plans, cor->costed_plans);
  // Plans 88-95 open the second node order: labelled one stage but holding the two device groups that plans
  // 96-103 hold under their true label. The search treats both alike; `corrected` costs them alike too, while
  // `reference` costs the relabelled ones over their first stage only.
  auto find = [](const SearchResult& r, std::int64_t index) -> const PlanRecord* {
    for (const auto& p : r.top) {
      if (p.inter_plan_index == index && p.intra_index == 0) return &p;
    }
    return nullptr;
  };
  int compared = 0;
  for (std::int64_t i = 88; i < 96; ++i) {
    SCOPED_TRACE(i);
    const PlanRecord* ref_relabelled = find(*ref, i);
    const PlanRecord* ref_true = find(*ref, i + 8);
    const PlanRecord* cor_relabelled = find(*cor, i);
    const PlanRecord* cor_true = find(*cor, i + 8);
    if (ref_relabelled == nullptr) continue;  // no plan fits memory for this micro-batch count
    ASSERT_NE(ref_true, nullptr);
    ASSERT_NE(cor_relabelled, nullptr);
    ASSERT_NE(cor_true, nullptr);
    EXPECT_EQ(ref_relabelled->num_stage, 1);
    EXPECT_EQ(ref_true->num_stage, 2);
    EXPECT_EQ(ref_relabelled->device_groups, ref_true->device_groups);
    EXPECT_EQ(ref_relabelled->strategies, ref_true->strategies);
    EXPECT_NE(ref_relabelled->cost, ref_true->cost);
    EXPECT_EQ(cor_relabelled->cost, cor_true->cost);
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

}  // namespace
}  // namespace hetplan

namespace hetplan {
namespace {

TEST(SizeLimit, HugeSpacesAreRefusedUpFrontWithAnEstimate) {
  SyntheticCase big;
  big.layers = 64;
  big.hostfile = *synth_hostfile(256);
  big.variance = 0;
  auto c = build(big);
  ASSERT_TRUE(c.ok()) << c.error().message;
  const std::int64_t estimate = count_inter_stage_plans(*c);
  EXPECT_GT(estimate, kDefaultMaxInterPlans);
  auto r = run_search(*c, SearchRequest{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("this case has at least ", 0), 0U) << r.error().message;
  EXPECT_NE(r.error().message.find("more than the limit of 5000000"), std::string::npos);
  // The error says what it is and carries the whole count, not where counting stopped, so a face can offer
  // a limit that lets the search run.
  EXPECT_EQ(r.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(r.error().inter_plans, estimate);
  EXPECT_EQ(r.error().limit, kDefaultMaxInterPlans);
  EXPECT_EQ(
      r.error().message.rfind("this case has at least " + std::to_string(estimate) + " inter-stage plans", 0),
      0U);
  EXPECT_EQ(std::string(to_string(r.error().kind)), "too_large");
}

TEST(SizeLimit, TheLimitCanBeRaisedOrLowered) {
  auto c = build(table_row(1));
  EXPECT_EQ(count_inter_stage_plans(*c), 176);
  SearchRequest req;
  req.max_inter_plans = 175;
  const auto refused = run_search(*c, req);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(refused.error().inter_plans, 176);
  EXPECT_EQ(refused.error().limit, 175);
  // Other errors are of the default kind.
  req.top_k = -1;
  EXPECT_EQ(run_search(*c, req).error().kind, ErrorKind::kInvalid);
  req.top_k = 1;
  req.max_inter_plans = 176;
  EXPECT_TRUE(run_search(*c, req).ok());
}

// The bounded strategies skip most inter-stage plans: the limit is not theirs.
TEST(SizeLimit, BoundedStrategiesAreNotLimited) {
  auto c = build(table_row(1));
  SearchRequest req;
  req.max_inter_plans = 1;
  for (const Strategy s : {Strategy::kBounded, Strategy::kBoundedPruned}) {
    req.strategy = s;
    EXPECT_TRUE(run_search(*c, req).ok()) << to_string(s);
  }
}

}  // namespace
}  // namespace hetplan

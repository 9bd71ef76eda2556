// The golden cases produced by the reference (../shared/golden): exact step counts, plans costed and, in the
// `reference` cost model, the five cheapest plans.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "case_loader.hpp"
#include "golden_cases.hpp"
#include "hetplan/search.hpp"

namespace fs = std::filesystem;

namespace {

fs::path golden_dir() {
  return fs::path(HETPLAN_SHARED_DIR) / "golden";
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

class GoldenCase : public ::testing::TestWithParam<std::string> {};

void check_run(const hetplan::Case& c, hetplan::Strategy s, const nlohmann::json& expected) {
  hetplan::SearchRequest req;
  req.strategy = s;
  req.cost_model = hetplan::CostModel::kReference;
  req.top_k = 5;
  auto r = hetplan::run_search(c, req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->count, expected["count"].get<std::int64_t>());
  EXPECT_EQ(r->costed_plans, expected["num_costed_plans"].get<std::int64_t>());
  EXPECT_EQ(r->cost_errors, expected["num_cost_keyerrors"].get<std::int64_t>());
  const auto& top = expected["top5"];
  ASSERT_EQ(r->top.size(), top.size());
  for (std::size_t i = 0; i < top.size(); ++i) {
    const auto& e = top[i];
    const auto& p = r->top[i];
    SCOPED_TRACE("plan " + std::to_string(i));
    const double want = e["cost"].get<double>();
    EXPECT_LE(std::fabs(p.cost - want), 1e-9 * std::fabs(want)) << p.cost << " vs " << want;
    EXPECT_EQ(p.node_sequence, e["node_sequence"].get<std::vector<std::string>>());
    EXPECT_EQ(p.device_groups, e["device_groups"].get<std::vector<int>>());
    EXPECT_EQ(p.num_stage, e["num_stage"].get<int>());
    EXPECT_EQ(p.batches, e["batches"].get<int>());
    EXPECT_EQ(p.layer_partition, e["layer_partition"].get<std::vector<int>>());
    EXPECT_EQ(p.inter_plan_index, e["inter_plan_index"].get<std::int64_t>());
    std::vector<std::vector<int>> strategies;
    for (const auto& [dp, tp] : p.strategies) strategies.push_back({dp, tp});
    EXPECT_EQ(strategies, e["strategies"].get<std::vector<std::vector<int>>>());
  }
}

TEST_P(GoldenCase, MatchesReference) {
  const fs::path dir = golden_dir() / GetParam();
  if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir << " (the shared golden data is not beside this clone)";
  auto c = hetplan::cli::load_case_folder(dir);
  ASSERT_TRUE(c.ok()) << c.error().message;
  const auto expected = read_json(dir / "expected.json");
  {
    SCOPED_TRACE("metis");
    check_run(*c, hetplan::Strategy::kMetis, expected["metis"]);
  }
  {
    SCOPED_TRACE("pruned");
    check_run(*c, hetplan::Strategy::kPruned, expected["pruned"]);
  }
  EXPECT_EQ(c->profiles.model.source_file, expected["first_profile_file"].get<std::string>());
}

// The bounded strategies give the exhaustive ones' top five, bit for bit, in both cost models.
TEST_P(GoldenCase, BoundedGivesTheSameTopFive) {
  const fs::path dir = golden_dir() / GetParam();
  if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir << " (the shared golden data is not beside this clone)";
  auto c = hetplan::cli::load_case_folder(dir);
  ASSERT_TRUE(c.ok()) << c.error().message;
  for (const auto model : {hetplan::CostModel::kCorrected, hetplan::CostModel::kReference}) {
    for (const auto& [exhaustive, bounded] :
         {std::pair{hetplan::Strategy::kMetis, hetplan::Strategy::kBounded},
          std::pair{hetplan::Strategy::kPruned, hetplan::Strategy::kBoundedPruned}}) {
      SCOPED_TRACE(std::string(hetplan::to_string(bounded)) + " " + hetplan::to_string(model));
      hetplan::SearchRequest req;
      req.cost_model = model;
      req.top_k = 5;
      req.strategy = exhaustive;
      auto want = hetplan::run_search(*c, req);
      req.strategy = bounded;
      auto got = hetplan::run_search(*c, req);
      ASSERT_TRUE(want.ok() && got.ok());
      ASSERT_EQ(want->top.size(), got->top.size());
      for (std::size_t i = 0; i < want->top.size(); ++i) {
        const auto& a = want->top[i];
        const auto& b = got->top[i];
        EXPECT_EQ(a.cost, b.cost);
        EXPECT_EQ(a.inter_plan_index, b.inter_plan_index);
        EXPECT_EQ(a.device_groups, b.device_groups);
        EXPECT_EQ(a.strategies, b.strategies);
        EXPECT_EQ(a.layer_partition, b.layer_partition);
        EXPECT_EQ(a.batches, b.batches);
      }
      EXPECT_EQ(got->inter_plans + got->pruned_by_bound, want->inter_plans);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shared, GoldenCase, hetplan::testing::golden_cases(),
                         hetplan::testing::golden_test_name);

}  // namespace

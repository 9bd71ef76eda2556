// The explanation's terms add up to the search's cost to the last bit (they are the cost model's own
// addends, added in its order), on the published table's cases and on random clusters; and its per-stage
// figures agree with the terms and with the memory formula of docs/explain.md.
#include "hetplan/explain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "explain_cases.hpp"
#include "hetplan/search.hpp"
#include "synthetic_cases.hpp"

namespace hetplan {
namespace {

std::uint64_t bits(double d) {
  return std::bit_cast<std::uint64_t>(d);
}

// A plan of row 1's cluster: 16 A100 at (8, 2) with layers 0-5, 16 V100 at (4, 4) with layers 6-9.
PlanRecord two_stage_plan() {
  PlanRecord plan;
  plan.node_sequence = {"A100", "V100"};
  plan.device_groups = {16, 16};
  plan.num_stage = 2;
  plan.strategies = {{8, 2}, {4, 4}};
  plan.batches = 4;
  plan.layer_partition = {0, 6, 10};
  return plan;
}

TEST(Explain, PublishedRowsTermsAddToTheCostBitForBit) {
  for (int row = 1; row <= 3; ++row) {
    auto c = testing::build(testing::table_row(row));
    ASSERT_TRUE(c.ok()) << c.error().message;
    SCOPED_TRACE("row " + std::to_string(row));
    EXPECT_GT(testing::expect_terms_add_to_costs(*c, 5), 0);
  }
}

TEST(Explain, RandomClustersTermsAddToTheCostBitForBit) {
  std::mt19937 gen(16);
  int plans = 0;
  for (int i = 0; i < 100; ++i) {
    const testing::RandomCase r = testing::random_case(gen);
    SCOPED_TRACE("random case " + std::to_string(i) + ":\n" + r.hostfile + r.clusterfile);
    auto c = testing::build_random(r);
    ASSERT_TRUE(c.ok()) << c.error().message;
    plans += testing::expect_terms_add_to_costs(*c, 5);
  }
  EXPECT_GT(plans, 500);  // most cases have plans in both models: the test is not vacuous
}

// Row 1's best plan, read term by term and stage by stage.
TEST(Explain, StagesAgreeWithTheTerms) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  SearchRequest req;
  req.top_k = 3;
  auto r = run_search(*c, req);
  ASSERT_TRUE(r.ok());
  for (const PlanRecord& plan : r->top) {
    auto e = explain_plan(*c, plan, CostModel::kCorrected);
    ASSERT_TRUE(e.ok()) << e.error().message;
    ASSERT_EQ(e->terms.size(), 7U);
    ASSERT_EQ(e->stages.size(), plan.device_groups.size());
    double compute = 0;
    double slowest = 0;
    double pp = 0;
    for (const auto& s : e->stages) {
      compute += s.time_ms;
      slowest = std::max(slowest, s.time_ms);
      pp += s.pp_send_ms;
    }
    EXPECT_EQ(bits(e->terms[1].ms), bits(compute));
    EXPECT_EQ(bits(e->terms[0].ms), bits((plan.batches - 1) * slowest));
    EXPECT_EQ(bits(e->terms[5].ms), bits(pp));
    EXPECT_TRUE(e->stages[static_cast<std::size_t>(e->bottleneck)].bottleneck);
    EXPECT_EQ(e->stages[static_cast<std::size_t>(e->bottleneck)].time_ms, slowest);
    EXPECT_EQ(e->stages.back().pp_send_ms, 0.0);
    for (std::size_t s = 0; s < e->stages.size(); ++s) {
      const auto& st = e->stages[s];
      EXPECT_EQ(st.dp, plan.strategies[s].first);
      EXPECT_EQ(st.tp, plan.strategies[s].second);
      EXPECT_EQ(st.first_layer, plan.layer_partition[s]);
      EXPECT_EQ(st.end_layer, plan.layer_partition[s + 1]);
      EXPECT_EQ(st.micro_batch, c->bounds.gbs / plan.batches / st.dp);
      EXPECT_EQ(st.in_flight, std::min(static_cast<int>(e->stages.size() - s), plan.batches));
      // The search found the plan, so its check passed with these figures.
      EXPECT_TRUE(st.check_known);
      EXPECT_LE(st.check_demand_mb, st.check_capacity_mb);
      EXPECT_EQ(st.check_type, plan.node_sequence.front());
    }
  }
}

// The per-GPU breakdown by hand for a one-stage plan of one type: 16 bytes per parameter of the fp32
// parameter bytes / 4 / tp, and the activations of one micro-batch in flight.
TEST(Explain, MemoryBreakdownFollowsTheFormula) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  PlanRecord plan = two_stage_plan();
  auto e = explain_plan(*c, plan, CostModel::kCorrected);
  ASSERT_TRUE(e.ok()) << e.error().message;
  const auto& m = c->model;
  const auto& bytes = c->profiles.model.parameters_per_layer;
  const double mib = 1024.0 * 1024.0;
  double params = 0;
  for (int l = 6; l < 10; ++l) params += bytes[static_cast<std::size_t>(l)];
  params /= 4.0 * 4;
  const auto& last = e->stages[1];
  ASSERT_EQ(last.memory.size(), 1U);
  const GpuMemory& g = last.memory[0];
  EXPECT_EQ(g.type, "V100");
  EXPECT_EQ(g.gpus, 16);
  EXPECT_EQ(g.samples, 128 / 4 / 4);
  EXPECT_DOUBLE_EQ(g.weights_mb, params * 2 / mib);
  EXPECT_DOUBLE_EQ(g.gradients_mb, params * 2 / mib);
  EXPECT_DOUBLE_EQ(g.optimizer_mb, params * 12 / mib);
  const double s = m.sequence_length;
  const double h = m.hidden_size;
  const double b = 8;
  const double transformer = s * b * h * (10 + 24.0 / 4 + 5.0 * m.attention_heads * s / (h * 4));
  const double head = 4 * s * b * h + 4 * s * b * m.vocab_size / 4;
  EXPECT_EQ(last.in_flight, 1);
  EXPECT_DOUBLE_EQ(g.activations_mb, (3 * transformer + head) / mib);
  EXPECT_DOUBLE_EQ(g.total_mb, g.weights_mb + g.gradients_mb + g.optimizer_mb + g.activations_mb);
  EXPECT_EQ(g.capacity_mb, c->cluster.memory_mb_of_type("V100"));
  EXPECT_EQ(e->stages[0].in_flight, 2);
  EXPECT_EQ(e->stages[0].memory[0].type, "A100");
}

TEST(Explain, ReferenceCostsOnlyTheLabelledStages) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  PlanRecord plan;
  plan.node_sequence = {"V100", "A100"};
  plan.device_groups = {16, 16};
  plan.num_stage = 1;  // the reference's relabelled plans
  plan.strategies = {{16, 1}, {16, 1}};
  plan.batches = 8;
  plan.layer_partition = {0, 5, 10};
  auto ref = explain_plan(*c, plan, CostModel::kReference);
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  EXPECT_EQ(ref->costed_stages, 1);
  EXPECT_TRUE(ref->stages[0].costed);
  EXPECT_FALSE(ref->stages[1].costed);
  EXPECT_FALSE(ref->notes.empty());
  auto cor = explain_plan(*c, plan, CostModel::kCorrected);
  ASSERT_TRUE(cor.ok());
  EXPECT_EQ(cor->costed_stages, 2);
}

// The reference's layer balancer can leave the last layers to no stage; the cost takes such a partition as
// it is, and so does the explanation, saying so.
TEST(Explain, TakesPartitionsThatLeaveLayersOut) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  PlanRecord plan = two_stage_plan();
  plan.layer_partition = {0, 1, 7};
  auto e = explain_plan(*c, plan, CostModel::kCorrected);
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_EQ(e->notes.size(), 1U);
  EXPECT_NE(e->notes[0].find("layer partition"), std::string::npos);
}

TEST(Explain, RefusesPlansThatDoNotFitTheCase) {
  auto c = testing::build(testing::table_row(1));
  ASSERT_TRUE(c.ok());
  PlanRecord plan = two_stage_plan();
  auto bad = plan;
  bad.node_sequence = {"A100", "T4"};
  EXPECT_FALSE(explain_plan(*c, bad, CostModel::kCorrected).ok());
  bad = plan;
  bad.strategies[0] = {8, 1};
  EXPECT_FALSE(explain_plan(*c, bad, CostModel::kCorrected).ok());
  bad = plan;
  bad.device_groups = {16, 8};
  bad.strategies[1] = {2, 4};
  EXPECT_FALSE(explain_plan(*c, bad, CostModel::kCorrected).ok());
  bad = plan;
  bad.layer_partition = {0, 6};
  EXPECT_FALSE(explain_plan(*c, bad, CostModel::kCorrected).ok());
}

}  // namespace
}  // namespace hetplan

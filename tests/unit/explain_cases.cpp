#include "explain_cases.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>

#include "hetplan/explain.hpp"
#include "hetplan/parse.hpp"
#include "hetplan/search.hpp"
#include "hetplan/synth.hpp"

namespace hetplan::testing {

namespace {

int pick(std::mt19937& gen, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(gen);
}

}  // namespace

RandomCase random_case(std::mt19937& gen) {
  static const std::pair<const char*, double> kTypes[] = {{"A100", 1.0}, {"V100", 3.5}, {"T4", 5.0}};
  RandomCase r;
  const int num_types = pick(gen, 1, 3);
  int gpus = 0;
  r.clusterfile = "{";
  for (int t = 0; t < num_types; ++t) {
    const std::string ip = "10.0.0." + std::to_string(t + 1);
    const int per_node = 1 << pick(gen, 0, 2);
    const int nodes = pick(gen, 1, 3);
    for (int n = 0; n < nodes && gpus + per_node <= 16; ++n) {
      r.hostfile += ip + " slots=" + std::to_string(per_node) + "\n";
      gpus += per_node;
    }
    r.clusterfile += std::string(t > 0 ? ", " : "") + "\"" + ip + "\": {\"instance_type\": \"" +
                     kTypes[t].first + "\", \"inter_bandwidth\": " + std::to_string(pick(gen, 1, 25)) +
                     ", \"intra_bandwidth\": " + std::to_string(pick(gen, 20, 100)) +
                     ", \"memory\": " + std::to_string(pick(gen, 8, 80)) + "}";
    r.types.emplace_back(kTypes[t].first, kTypes[t].second);
  }
  r.clusterfile += "}";
  r.layers = pick(gen, 3, 8);
  r.gbs = 8 << pick(gen, 0, 4);
  r.variance = pick(gen, 0, 1) == 0 ? 0.5 : 1.0;
  return r;
}

Outcome<Case> build_random(const RandomCase& r) {
  std::vector<SynthType> types;
  for (const auto& [name, factor] : r.types) types.push_back({name, factor});
  auto files = synth_profile_files(r.layers, 32, types);
  if (!files) return files.error();
  CaseArgs args;
  args.model.num_layers = r.layers;
  args.bounds.gbs = r.gbs;
  args.bounds.max_tp = 32;
  args.bounds.max_bs = 32;
  args.bounds.scale_variance = r.variance;
  return case_from_texts({"hostfile", r.hostfile}, {"clusterfile", r.clusterfile}, std::move(*files),
                         "profiles", args);
}

int expect_terms_add_to_costs(const Case& c, int top_k) {
  int checked = 0;
  for (const Strategy strategy : {Strategy::kMetis, Strategy::kPruned}) {
    for (const CostModel model : {CostModel::kCorrected, CostModel::kReference}) {
      SearchRequest req;
      req.strategy = strategy;
      req.cost_model = model;
      req.top_k = top_k;
      auto r = run_search(c, req);
      EXPECT_TRUE(r.ok()) << r.error().message;
      if (!r.ok()) return checked;
      for (std::size_t i = 0; i < r->top.size(); ++i) {
        const PlanRecord& plan = r->top[i];
        SCOPED_TRACE(std::string(to_string(strategy)) + " " + to_string(model) + " plan " +
                     std::to_string(i));
        auto e = explain_plan(c, plan, model);
        EXPECT_TRUE(e.ok()) << e.error().message;
        if (!e.ok()) continue;
        double sum = 0;
        for (const CostTerm& t : e->terms) sum += t.ms;
        EXPECT_EQ(std::bit_cast<std::uint64_t>(e->total_ms), std::bit_cast<std::uint64_t>(plan.cost))
            << e->total_ms << " vs " << plan.cost;
        EXPECT_EQ(std::bit_cast<std::uint64_t>(sum), std::bit_cast<std::uint64_t>(e->total_ms));
        ++checked;
      }
    }
  }
  return checked;
}

}  // namespace hetplan::testing

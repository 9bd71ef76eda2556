#include "bounded_search.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "cost_bounds.hpp"
#include "hetplan/internal/context.hpp"
#include "hetplan/internal/inter_stage.hpp"
#include "plan_evaluator.hpp"

namespace hetplan::internal {

namespace {

struct Candidate {
  double bound = 0;
  std::int64_t index = 0;
  std::uint32_t block = 0;
  std::uint32_t batch_option = 0;
  std::int64_t list = 0;  // within the block
};

bool beats(const Candidate& a, const Candidate& b) {
  return a.bound != b.bound ? a.bound < b.bound : a.index < b.index;
}

}  // namespace

Outcome<SearchResult> run_bounded_search(const Case& c, const SearchRequest& request,
                                         const ProgressFn& progress) {
  const CaseTables tables(c);
  const InterStageSpace space(tables.types(), c.cluster.total_gpus(), c.model.num_layers, c.bounds.gbs,
                              c.bounds.scale_variance, c.bounds.max_permute_len, request.max_inter_plans,
                              true);
  if (space.too_large()) {
    return Error{"this case has at least " + std::to_string(space.estimate()) +
                 " inter-stage plans, more than the limit of " + std::to_string(request.max_inter_plans)};
  }
  std::vector<std::unique_ptr<NodeOrderTables>> orders;
  for (const auto& names : space.node_orders())
    orders.push_back(std::make_unique<NodeOrderTables>(tables, names));

  SearchResult result;
  result.strategy = request.strategy;
  result.cost_model = request.cost_model;
  result.notes = c.notes;
  PlanEvaluator evaluator(tables, dfs_of(request.strategy), request.cost_model, request.top_k, result);
  CostBounds bounds(tables, request.cost_model);

  std::vector<Candidate> candidates;
  const auto& options = space.batch_options();
  const auto nb = static_cast<std::int64_t>(options.size());
  for (std::size_t b = 0; b < space.blocks().size(); ++b) {
    const InterStageBlock& block = space.blocks()[b];
    const auto& lists = space.groups(block.stage_count);
    for (std::size_t g = 0; g < lists.size(); ++g) {
      for (std::int64_t k = 0; k < nb; ++k) {
        Candidate cand;
        cand.index = block.first_index + static_cast<std::int64_t>(g) * nb + k;
        cand.block = static_cast<std::uint32_t>(b);
        cand.batch_option = static_cast<std::uint32_t>(k);
        cand.list = static_cast<std::int64_t>(g);
        cand.bound = bounds.plan(*orders[static_cast<std::size_t>(block.node_order)], block.node_order,
                                 lists[g], block.label, options[static_cast<std::size_t>(k)]);
        candidates.push_back(cand);
      }
    }
  }
  std::sort(candidates.begin(), candidates.end(), beats);
  SearchProgress p;
  p.inter_total = space.total();
  std::size_t searched = 0;
  for (const Candidate& cand : candidates) {
    TopK& top = evaluator.top();
    if (top.full() && cand.bound > top.last().cost) break;
    const InterStageBlock& block = space.blocks()[cand.block];
    InterStagePlan plan;
    plan.index = cand.index;
    plan.node_order = block.node_order;
    plan.label = block.label;
    plan.device_groups = &space.groups(block.stage_count)[static_cast<std::size_t>(cand.list)];
    plan.batches = options[cand.batch_option];
    const auto order = static_cast<std::size_t>(block.node_order);
    evaluator.evaluate(*orders[order], space.node_orders()[order], plan);
    ++searched;
    p.inter_done = static_cast<std::int64_t>(searched);
    p.steps = result.count;
    p.costed = result.costed_plans;
    p.has_best = evaluator.has_best();
    p.best_cost = evaluator.best();
    if (progress && !progress(p)) {
      result.cancelled = true;
      break;
    }
  }
  result.pruned_by_bound = static_cast<std::int64_t>(candidates.size() - searched);
  evaluator.finish();
  return result;
}

}  // namespace hetplan::internal

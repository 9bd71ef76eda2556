#include "hetplan/search.hpp"

#include <algorithm>
#include <memory>

#include "enumerate/inter_stage.hpp"
#include "input/context.hpp"
#include "search/bounded_search.hpp"
#include "search/case_reasons.hpp"
#include "search/plan_evaluator.hpp"

namespace hetplan {

bool plan_before(const PlanRecord& a, const PlanRecord& b) {
  if (a.cost != b.cost) return a.cost < b.cost;
  if (a.inter_plan_index != b.inter_plan_index) return a.inter_plan_index < b.inter_plan_index;
  return a.intra_index < b.intra_index;
}

namespace {

// types: the case's sorted device types (CaseTables has them, so a search does not sort them again).
internal::InterStageSpace make_space(const Case& c, const std::vector<std::string>& types,
                                     std::int64_t max_plans, internal::SpaceBuild build) {
  return internal::InterStageSpace(types, c.cluster.total_gpus(), c.model.num_layers, c.bounds.gbs,
                                   c.bounds.scale_variance, c.bounds.max_permute_len, max_plans, build);
}

}  // namespace

void flag_launch_issues(const Case& c, SearchResult& result) {
  for (auto& p : result.top) p.warnings = launch_warnings(c, p);
}

std::int64_t count_inter_stage_plans(const Case& c) {
  return make_space(c, c.cluster.sorted_types(), 0, internal::SpaceBuild::kCount).estimate();
}

std::optional<Error> request_problem(const SearchRequest& request) {
  if (request.shard_count < 1 || request.shard_index < 0 || request.shard_index >= request.shard_count) {
    return Error{"shard " + std::to_string(request.shard_index) + " of " +
                 std::to_string(request.shard_count) + " does not exist"};
  }
  if (request.top_k < 0) return Error{"top K must be 0 or more"};
  if (request.claim && (request.shard_count != 1 || request.claim_lists < 1)) {
    return Error{"a search that claims its work takes chunks of one list or more, and no fixed shard"};
  }
  if (request.launchable_only &&
      (request.cost_model != CostModel::kCorrected || uses_bounds(request.strategy))) {
    return Error{
        "keeping only launchable plans goes with the corrected cost model and the metis or pruned "
        "strategy"};
  }
  return std::nullopt;
}

Outcome<SearchResult> run_search(const Case& c, const SearchRequest& request, const ProgressFn& progress) {
  if (auto problem = request_problem(request)) return *problem;
  if (uses_bounds(request.strategy)) {
    // The bounded strategies search in the order of their bounds, not by shards: the first shard searches
    // everything and the others nothing, so that merged shards give the one result.
    if (request.shard_index != 0) {
      SearchResult none;
      none.strategy = request.strategy;
      none.cost_model = request.cost_model;
      none.notes = c.notes;
      return none;
    }
    auto bounded = internal::run_bounded_search(c, request, progress);
    if (bounded) flag_launch_issues(c, *bounded);
    return bounded;
  }
  const internal::CaseTables tables(c);
  const internal::InterStageSpace space =
      make_space(c, tables.types(), request.max_inter_plans, internal::SpaceBuild::kIndex);
  if (space.too_large()) {
    // The space stopped counting at the limit: count them all, so that the figure given is one that, taken
    // as the new limit, lets the search run.
    const std::int64_t plans = count_inter_stage_plans(c);
    return Error{
        "this case has at least " + std::to_string(plans) + " inter-stage plans, more than the limit of " +
            std::to_string(request.max_inter_plans) +
            "; raise the limit to confirm a long search, or lower the GPU count or the number of layers, "
            "or raise the scale variance",
        ErrorKind::kTooLarge, plans, request.max_inter_plans};
  }
  const internal::NodeSizes node_sizes = internal::node_sizes_of(request.cost_model);
  std::vector<std::unique_ptr<internal::NodeOrderTables>> orders;
  for (const auto& names : space.node_orders()) {
    orders.push_back(std::make_unique<internal::NodeOrderTables>(tables, names, node_sizes));
  }

  SearchResult result;
  result.strategy = request.strategy;
  result.cost_model = request.cost_model;
  result.notes = c.notes;
  result.case_reasons = internal::case_reasons(c, request.cost_model, space);
  internal::PlanEvaluator evaluator(tables, request.strategy, request.cost_model, request.top_k, result);
  if (request.launchable_only) {
    evaluator.keep_only([&c](const PlanRecord& p) { return launch_warnings(c, p).empty(); });
  }
  SearchProgress p;
  p.inter_total = request.claim ? space.total() : space.shard_size(request.shard_index, request.shard_count);
  p.so_far = &result;
  p.top_so_far = &evaluator.top().plans();

  const auto search_plan = [&](const internal::InterStagePlan& plan) {
    const auto order = static_cast<std::size_t>(plan.node_order);
    evaluator.evaluate(*orders[order], space.node_orders()[order], plan);
    p.inter_done = result.inter_plans;
    p.steps = result.count;
    p.costed = result.costed_plans;
    p.has_best = evaluator.has_best();
    p.best_cost = evaluator.best();
    if (progress && !progress(p)) {
      result.cancelled = true;
      return false;
    }
    return true;
  };
  internal::ListCursor made = space.cursor();
  if (request.claim) {
    // Claims come in increasing order, so the cursor only moves forward within a block.
    const std::int64_t lists = space.lists();
    for (std::int64_t first = request.claim(); first < lists; first = request.claim()) {
      if (!space.for_each_in_lists(first, std::min(first + request.claim_lists, lists), made, search_plan)) {
        break;
      }
    }
  } else {
    space.for_each(request.shard_index, request.shard_count, made, search_plan);
  }
  evaluator.finish();
  flag_launch_issues(c, result);
  return result;
}

SearchResult merge_results(const std::vector<SearchResult>& shards, int top_k) {
  SearchResult out;
  internal::TopK top(top_k);
  for (const auto& s : shards) {
    out.strategy = s.strategy;
    out.cost_model = s.cost_model;
    if (out.notes.empty()) out.notes = s.notes;
    if (out.case_reasons.empty()) out.case_reasons = s.case_reasons;
    out.count += s.count;
    out.costed_plans += s.costed_plans;
    out.cost_errors += s.cost_errors;
    out.inter_plans += s.inter_plans;
    out.skipped_candidates += s.skipped_candidates;
    out.pruned_by_bound += s.pruned_by_bound;
    out.skipped_no_memory_estimate += s.skipped_no_memory_estimate;
    out.skipped_no_layer_balance += s.skipped_no_layer_balance;
    out.out_of_memory += s.out_of_memory;
    out.missing_keys.insert(s.missing_keys.begin(), s.missing_keys.end());
    out.cancelled = out.cancelled || s.cancelled;
    for (const auto& p : s.top) {
      PlanRecord candidate = p;
      top.add(candidate);
    }
  }
  out.top = std::move(top.plans());
  return out;
}

}  // namespace hetplan

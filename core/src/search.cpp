#include "hetplan/search.hpp"

#include <algorithm>
#include <memory>

#include "case_reasons.hpp"
#include "hetplan/internal/context.hpp"
#include "hetplan/internal/cost.hpp"
#include "hetplan/internal/inter_stage.hpp"
#include "hetplan/internal/intra_stage.hpp"

namespace hetplan {

bool plan_before(const PlanRecord& a, const PlanRecord& b) {
  if (a.cost != b.cost) return a.cost < b.cost;
  if (a.inter_plan_index != b.inter_plan_index) return a.inter_plan_index < b.inter_plan_index;
  return a.intra_index < b.intra_index;
}

namespace {

// types: the case's sorted device types (CaseTables has them, so a search does not sort them again).
internal::InterStageSpace make_space(const Case& c, const std::vector<std::string>& types,
                                     std::int64_t max_plans, bool build) {
  return internal::InterStageSpace(types, c.cluster.total_gpus(), c.model.num_layers, c.bounds.gbs,
                                   c.bounds.scale_variance, c.bounds.max_permute_len, max_plans, build);
}

// Keeps the best K plans in order; K is small, so a sorted vector beats a heap.
class TopK {
 public:
  explicit TopK(int k) : k_(static_cast<std::size_t>(std::max(k, 0))) {}
  [[nodiscard]] bool wants(double cost) const { return plans_.size() < k_ || cost <= plans_.back().cost; }
  // Takes p's plan when it is among the best K. p is left with the buffers of the plan that fell off the
  // end, if any, or keeps its own: the search fills it for its next candidate without allocating.
  void add(PlanRecord& p) {
    if (k_ == 0) return;
    auto pos = std::upper_bound(plans_.begin(), plans_.end(), p, plan_before);
    if (plans_.size() == k_ && pos == plans_.end()) return;
    if (plans_.size() < k_) {
      plans_.insert(pos, std::move(p));
      return;
    }
    // Full: the last plan falls off, and p moves into place.
    std::swap(plans_.back(), p);
    std::rotate(pos, plans_.end() - 1, plans_.end());
  }
  std::vector<PlanRecord>& plans() { return plans_; }

 private:
  std::size_t k_;
  std::vector<PlanRecord> plans_;
};

}  // namespace

std::int64_t count_inter_stage_plans(const Case& c) {
  return make_space(c, c.cluster.sorted_types(), 0, false).estimate();
}

Outcome<SearchResult> run_search(const Case& c, const SearchRequest& request, const ProgressFn& progress) {
  if (request.shard_count < 1 || request.shard_index < 0 || request.shard_index >= request.shard_count) {
    return Error{"shard " + std::to_string(request.shard_index) + " of " +
                 std::to_string(request.shard_count) + " does not exist"};
  }
  if (request.top_k < 0) return Error{"top K must be 0 or more"};
  if (request.claim && (request.shard_count != 1 || request.claim_lists < 1)) {
    return Error{"a search that claims its work takes chunks of one list or more, and no fixed shard"};
  }
  const internal::CaseTables tables(c);
  const internal::InterStageSpace space = make_space(c, tables.types(), request.max_inter_plans, true);
  if (space.too_large()) {
    return Error{
        "this case has at least " + std::to_string(space.estimate()) +
        " inter-stage plans, more than the limit of " + std::to_string(request.max_inter_plans) +
        "; raise the limit to confirm a long search, or lower the GPU count, the number of layers or "
        "the scale variance"};
  }
  // The corrected model's memory and bandwidth estimates take each node's own GPU count; the reference's
  // take every node to hold as many GPUs as the first (the same unless node sizes differ, where they misread
  // types and nodes, or find no node for the last GPUs).
  const internal::NodeSizes node_sizes = request.cost_model == CostModel::kCorrected
                                             ? internal::NodeSizes::kActual
                                             : internal::NodeSizes::kAsFirstNode;
  std::vector<std::unique_ptr<internal::NodeOrderTables>> orders;
  for (const auto& names : space.node_orders()) {
    orders.push_back(std::make_unique<internal::NodeOrderTables>(tables, names, node_sizes));
  }

  SearchResult result;
  result.strategy = request.strategy;
  result.cost_model = request.cost_model;
  result.notes = c.notes;
  result.case_reasons = internal::case_reasons(c, request.cost_model, space);
  internal::MissingLog log;
  TopK top(request.top_k);
  SearchProgress p;
  p.inter_total = request.claim ? space.total() : space.shard_size(request.shard_index, request.shard_count);

  internal::IntraStageSearcher searcher(tables, request.strategy, log);
  internal::IntraOutcome intra;
  internal::PlanCoster coster(tables, request.cost_model, log);
  PlanRecord r;  // the next candidate for the top K
  const auto search_plan = [&](const internal::InterStagePlan& plan) {
    const auto& order = *orders[static_cast<std::size_t>(plan.node_order)];
    searcher.search(order, plan, intra);
    result.count += intra.steps;
    result.skipped_candidates += intra.skipped;
    result.skipped_no_memory_estimate += intra.skipped_no_memory_estimate;
    result.skipped_no_layer_balance += intra.skipped_no_layer_balance;
    result.out_of_memory += intra.out_of_memory;
    for (std::size_t i = 0; i < intra.found; ++i) {
      auto cost = coster.estimate(order, plan, intra.plans[i]);
      if (!cost) {
        ++result.cost_errors;
        continue;
      }
      ++result.costed_plans;
      if (!p.has_best || *cost < p.best_cost) {
        p.has_best = true;
        p.best_cost = *cost;
      }
      if (!top.wants(*cost)) continue;
      // Assigned into the buffers of an earlier candidate, and copied from the intra-stage plan, whose
      // buffers the searcher keeps.
      r.cost = *cost;
      r.node_sequence = space.node_orders()[static_cast<std::size_t>(plan.node_order)];
      r.device_groups = *plan.device_groups;
      r.num_stage = plan.label;
      r.strategies = intra.plans[i].strategies;
      r.batches = plan.batches;
      r.layer_partition = intra.plans[i].layer_partition;
      r.inter_plan_index = plan.index;
      r.intra_index = static_cast<int>(i);
      r.num_repartition = intra.plans[i].num_repartition;
      top.add(r);
    }
    ++result.inter_plans;
    p.inter_done = result.inter_plans;
    p.steps = result.count;
    p.costed = result.costed_plans;
    if (progress && !progress(p)) {
      result.cancelled = true;
      return false;
    }
    return true;
  };
  if (request.claim) {
    const std::int64_t lists = space.lists();
    for (std::int64_t first = request.claim(); first < lists; first = request.claim()) {
      if (!space.for_each_in_lists(first, std::min(first + request.claim_lists, lists), search_plan)) break;
    }
  } else {
    space.for_each(request.shard_index, request.shard_count, search_plan);
  }
  result.missing_keys = std::move(log.keys);
  result.top = std::move(top.plans());
  return result;
}

SearchResult merge_results(const std::vector<SearchResult>& shards, int top_k) {
  SearchResult out;
  TopK top(top_k);
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

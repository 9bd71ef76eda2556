// Searching one inter-stage plan: the intra-stage DFS, the cost of every plan it returns, and the best K
// kept. Every strategy evaluates plans this way; they differ in which inter-stage plans they visit and in
// what order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cost/cost.hpp"
#include "enumerate/inter_stage.hpp"
#include "hetplan/search.hpp"
#include "input/context.hpp"
#include "search/intra_stage.hpp"

namespace hetplan::internal {

// Keeps the best K plans in order; K is small, so a sorted vector beats a heap.
class TopK {
 public:
  explicit TopK(int k) : k_(static_cast<std::size_t>(std::max(k, 0))) {}
  [[nodiscard]] bool wants(double cost) const { return plans_.size() < k_ || cost <= plans_.back().cost; }
  [[nodiscard]] bool full() const { return k_ > 0 && plans_.size() == k_; }
  // The plan every newcomer must beat: meaningful only when full().
  [[nodiscard]] const PlanRecord& last() const { return plans_.back(); }
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

// Runs the DFS of one inter-stage plan and costs what it returns, adding counts to `result` and plans to
// `top`. Buffers live as long as the object.
class PlanEvaluator {
 public:
  PlanEvaluator(const CaseTables& t, Strategy strategy, CostModel model, int top_k, SearchResult& result)
      : result_(result),
        model_(model),
        layers_(t.num_layers()),
        every_level_(strategy == Strategy::kOptimal),
        searcher_(t, dfs_of(strategy), log_),
        coster_(t, model, log_),
        top_(top_k) {}

  // node_names: the node order's type names, copied into the plans kept.
  void evaluate(const NodeOrderTables& order, const std::vector<std::string>& node_names,
                const InterStagePlan& plan) {
    if (every_level_) {
      searcher_.search_all(order, plan, intra_, [&](const IntraOutcome& part) {
        cost_found(order, node_names, plan, part);
        return !go_on_ || go_on_();
      });
    } else {
      searcher_.search(order, plan, intra_);
    }
    cost_found(order, node_names, plan, intra_);
    result_.count += intra_.steps;
    result_.skipped_candidates += intra_.skipped;
    result_.skipped_no_memory_estimate += intra_.skipped_no_memory_estimate;
    result_.skipped_no_layer_balance += intra_.skipped_no_layer_balance;
    result_.out_of_memory += intra_.out_of_memory;
    ++result_.inter_plans;
  }

  [[nodiscard]] bool has_best() const { return has_best_; }
  [[nodiscard]] double best() const { return best_; }
  TopK& top() { return top_; }
  // Asked between chunks of a plan whose every level is searched (optimal): false stops that plan's search
  // where it is. The caller's own check after the plan then stops the rest.
  void check_between_chunks(std::function<bool()> go_on) { go_on_ = std::move(go_on); }
  // Only plans `keep` accepts enter the top K; the counts are the same either way.
  void keep_only(std::function<bool(const PlanRecord&)> keep) { keep_ = std::move(keep); }
  // Moves the missing keys and the top K into the result.
  void finish() {
    result_.missing_keys = std::move(log_.keys);
    result_.top = std::move(top_.plans());
  }

 private:
  // Costs the plans the search found (part of them, for search_all) and offers each to the top K.
  void cost_found(const NodeOrderTables& order, const std::vector<std::string>& node_names,
                  const InterStagePlan& plan, const IntraOutcome& found) {
    for (std::size_t i = 0; i < found.found; ++i) {
      auto cost = coster_.estimate(order, plan, found.plans[i]);
      if (!cost) {
        ++result_.cost_errors;
        continue;
      }
      ++result_.costed_plans;
      if (!has_best_ || *cost < best_) {
        has_best_ = true;
        best_ = *cost;
      }
      if (!top_.wants(*cost)) continue;
      // Assigned into the buffers of an earlier candidate, and copied from the intra-stage plan, whose
      // buffers the searcher keeps.
      r_.cost = *cost;
      r_.node_sequence = node_names;
      r_.device_groups = *plan.device_groups;
      r_.num_stage = plan.label;
      r_.strategies = found.plans[i].strategies;
      r_.batches = plan.batches;
      r_.layer_partition = found.plans[i].layer_partition;
      // The layer balancer can leave the last layers in no stage (a layer whose pieces no stage holds the
      // most of); `corrected` costs them in the last stage, and the plan says so.
      if (model_ == CostModel::kCorrected && !r_.layer_partition.empty()) r_.layer_partition.back() = layers_;
      r_.inter_plan_index = plan.index;
      r_.intra_index = found.first_index + static_cast<std::int64_t>(i);
      r_.num_repartition = found.plans[i].num_repartition;
      if (keep_ && !keep_(r_)) continue;
      top_.add(r_);
    }
  }

  SearchResult& result_;
  CostModel model_;
  int layers_;
  bool every_level_;  // every (dp, tp) per stage, not the DFS's path
  MissingLog log_;
  IntraStageSearcher searcher_;
  PlanCoster coster_;
  IntraOutcome intra_;
  TopK top_;
  PlanRecord r_;  // the next candidate for the top K
  std::function<bool(const PlanRecord&)> keep_;
  std::function<bool()> go_on_;
  bool has_best_ = false;
  double best_ = 0;
};

}  // namespace hetplan::internal

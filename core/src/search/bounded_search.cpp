#include "search/bounded_search.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "cost/cost_bounds.hpp"
#include "enumerate/device_groups.hpp"
#include "enumerate/inter_stage.hpp"
#include "input/context.hpp"
#include "search/case_reasons.hpp"
#include "search/plan_evaluator.hpp"

namespace hetplan::internal {

namespace {

// One multiset of stage sizes in one block: the device-group lists it expands into, numbered from
// first_list (global list number), each with every batch option.
struct Unit {
  double bound = 0;  // the least over the batch options
  std::int64_t first_list = 0;
  std::int64_t lists = 0;
  std::uint32_t block = 0;
  std::uint32_t multiset = 0;  // in its stage count's list
  // Its bounds per batch option and size of the stage that pays fb_sync (the multiset's distinct sizes, in
  // order): unit_bounds[bounds_at + option x distinct + size's place].
  std::uint32_t bounds_at = 0;
  std::uint32_t distinct = 0;
};

// One inter-stage plan of a unit's lists, for searching a unit's plans most promising first.
struct Candidate {
  double bound = 0;
  std::int64_t index = 0;
  std::uint32_t list = 0;  // within the unit's lists, as collected
  std::uint32_t batch_option = 0;
};

template <class T>
bool before(const T& a, const T& b, std::int64_t ia, std::int64_t ib) {
  return a.bound != b.bound ? a.bound < b.bound : ia < ib;
}

// A unit's plans are sorted by bound when there are at most this many; past it they are searched in index
// order (the bound still skips what it rules out), so memory stays small on any case.
constexpr std::int64_t kMaxSortedPlans = 1 << 20;
// A unit being enumerated reports progress after this many lists.
constexpr std::int64_t kListsPerReport = 4096;
// Units of at most this many lists are searched first (see run).
constexpr std::int64_t kSmallUnit = 64;

class BoundedSearch {
 public:
  BoundedSearch(const Case& c, const SearchRequest& request, const ProgressFn& progress,
                const InterStageSpace& space, const CaseTables& tables, SearchResult& result)
      : progress_(progress),
        space_(space),
        result_(result),
        evaluator_(tables, request.strategy, request.cost_model, request.top_k, result),
        bounds_(tables, request.cost_model),
        groups_(c.cluster.total_gpus(), c.bounds.scale_variance, c.bounds.max_permute_len),
        model_(request.cost_model) {
    for (const auto& names : space.node_orders())
      orders_.push_back(std::make_unique<NodeOrderTables>(tables, names, node_sizes_of(request.cost_model)));
    // optimal's search of one plan of many stages can take minutes: report (and hear a cancel) inside it too.
    evaluator_.check_between_chunks([this] { return report(); });
  }

  void run() {
    collect_units();
    tightened_.assign(unit_bounds_.size(), 0);
    std::sort(units_.begin(), units_.end(),
              [](const Unit& a, const Unit& b) { return before(a, b, a.first_list, b.first_list); });
    progress_state_.inter_total = space_.total();
    progress_state_.so_far = &result_;
    progress_state_.top_so_far = &evaluator_.top().plans();
    // First the units of few lists, most promising first, and the first lists of the large ones: they are
    // quick to search and bring the K-th best down before the rest of the large units, whose bounds are
    // weaker and whose lists are many. Then the rest, in the same order. The order changes how much is
    // searched, never the answer.
    std::vector<char> done(units_.size(), 0);
    for (const int phase : {0, 1, 2}) {
      for (std::size_t i = 0; i < units_.size(); ++i) {
        const Unit& u = units_[i];
        const bool small = u.lists <= kSmallUnit;
        if (done[i] != 0 || (phase == 0 && !small)) continue;
        if (!beatable(u.bound)) break;  // units come by bound: none after it can beat the K-th best either
        const std::int64_t from = phase == 2 ? kSmallUnit : 0;
        const std::int64_t to = phase == 1 ? kSmallUnit : u.lists;
        if (phase != 1) done[i] = 1;
        unit_done_ = 0;
        if (!search_unit(u, from, to)) {
          result_.cancelled = true;
          break;
        }
        if (phase != 1) units_done_ += u.lists * static_cast<std::int64_t>(space_.batch_options().size());
      }
      if (result_.cancelled) break;
    }
    if (!result_.cancelled) {
      units_done_ = space_.total();
      unit_done_ = 0;
      report();
    }
    // A search run to its end settled every plan; a stopped one, only those it reached.
    result_.pruned_by_bound = result_.cancelled ? ruled_out_ : space_.total() - result_.inter_plans;
    evaluator_.finish();
  }

 private:
  // Whether a plan whose cost is at least `bound` can enter the top K.
  [[nodiscard]] bool beatable(double bound) {
    TopK& top = evaluator_.top();
    return !top.full() || bound <= top.last().cost;
  }

  // Whether a plan of the inter-stage plan last bounded can enter the top K.
  [[nodiscard]] bool beatable_plan(const CostBounds::PlanBound& bound) {
    TopK& top = evaluator_.top();
    return !top.full() || !bounds_.exceeds(bound, top.last().cost);
  }

  void collect_units() {
    const auto& options = space_.batch_options();
    const auto nb = static_cast<std::int64_t>(options.size());
    multisets_.resize(static_cast<std::size_t>(space_.blocks().empty() ? 0 : max_stage_count() + 1));
    list_counts_.resize(multisets_.size());
    distinct_.resize(multisets_.size());
    // Per stage count and label kind, the bounds of its multisets (the same in every node order), one after
    // another, and where each multiset's start.
    std::vector<std::vector<double>> known(multisets_.size() * 2);
    std::vector<std::vector<std::size_t>> known_at(multisets_.size() * 2);
    for (std::size_t b = 0; b < space_.blocks().size(); ++b) {
      const InterStageBlock& block = space_.blocks()[b];
      const auto s = static_cast<std::size_t>(block.stage_count);
      if (multisets_[s].empty()) {
        groups_.multisets(block.stage_count, multisets_[s], list_counts_[s]);
        for (const auto& sizes : multisets_[s]) {
          auto& d = distinct_[s].emplace_back(sizes);
          d.erase(std::unique(d.begin(), d.end()), d.end());
        }
      }
      const bool relabelled = block.label != block.stage_count;
      const std::size_t kind = (s * 2) + (relabelled ? 1 : 0);
      std::vector<double>& cached = known[kind];
      if (known_at[kind].empty()) {
        for (std::size_t m = 0; m < multisets_[s].size(); ++m) {
          known_at[kind].push_back(cached.size());
          for (const int batches : options) {
            for (const int last : distinct_[s][m]) {
              cached.push_back(bounds_.multiset(multisets_[s][m], relabelled, batches, last));
            }
          }
        }
        known_at[kind].push_back(cached.size());
      }
      std::int64_t first_list = block.first_index / nb;
      for (std::size_t m = 0; m < multisets_[s].size(); ++m) {
        Unit u;
        u.first_list = first_list;
        u.lists = list_counts_[s][m];
        u.block = static_cast<std::uint32_t>(b);
        u.multiset = static_cast<std::uint32_t>(m);
        u.bounds_at = static_cast<std::uint32_t>(unit_bounds_.size());
        u.distinct = static_cast<std::uint32_t>(distinct_[s][m].size());
        const auto from = cached.begin() + static_cast<std::ptrdiff_t>(known_at[kind][m]);
        const auto to = cached.begin() + static_cast<std::ptrdiff_t>(known_at[kind][m + 1]);
        unit_bounds_.insert(unit_bounds_.end(), from, to);
        u.bound = *std::min_element(from, to);
        units_.push_back(u);
        first_list += u.lists;
      }
    }
  }

  [[nodiscard]] int max_stage_count() const {
    int most = 0;
    for (const auto& b : space_.blocks()) most = std::max(most, b.stage_count);
    return most;
  }

  // Searches the plans of a unit that can beat the K-th best, most promising first when they are few
  // enough to sort. False when the progress callback stopped the search.
  bool search_unit(const Unit& u, std::int64_t from, std::int64_t to) {
    const InterStageBlock& block = space_.blocks()[u.block];
    const auto& sizes = multisets_[static_cast<std::size_t>(block.stage_count)][u.multiset];
    const auto& options = space_.batch_options();
    const auto nb = static_cast<std::int64_t>(options.size());
    const auto& distinct = distinct_[static_cast<std::size_t>(block.stage_count)][u.multiset];
    const double* unit_bound = tightened(u, block, sizes, distinct);
    bool any = false;
    for (std::size_t i = 0; i < static_cast<std::size_t>(nb) * u.distinct && !any; ++i)
      any = beatable(unit_bound[i]);
    if (!any) {  // no order of it can beat the K-th best
      ruled_out_ += (std::min(to, u.lists) - from) * nb;
      return true;
    }
    const bool first_pays = bounds_.first_stage_pays_fb(block.label != block.stage_count);
    const auto& order = *orders_[static_cast<std::size_t>(block.node_order)];
    const bool sorted = to - from <= kMaxSortedPlans / std::max<std::int64_t>(nb, 1);
    lists_.clear();
    candidates_.clear();
    bool go_on = true;
    std::int64_t j = 0;
    groups_.lists_of(sizes, [&](const std::vector<int>& list) {
      const std::int64_t number = u.first_list + j++;
      if (!go_on || j <= from || j > to) return;  // lists [from, to) only
      // Enumerating a large unit can take long: report (and hear a cancel) every few thousand lists.
      if (j % kListsPerReport == 0) {
        unit_done_ = j * nb;
        go_on = report();
        if (!go_on) return;
      }
      if (sorted) lists_.push_back(list);
      const int paying = first_pays ? list.front() : list.back();
      const auto place = static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), paying) -
                                                  distinct.begin());
      for (std::int64_t k = 0; k < nb; ++k) {
        if (!beatable(unit_bound[(static_cast<std::size_t>(k) * u.distinct) + place])) {
          ++ruled_out_;
          continue;
        }
        const int batches = options[static_cast<std::size_t>(k)];
        const CostBounds::PlanBound bound = bounds_.plan(order, block.node_order, list, block.label, batches);
        if (!beatable_plan(bound)) {
          ++ruled_out_;
          continue;
        }
        if (sorted) {
          candidates_.push_back({bound.value(), (number * nb) + k,
                                 static_cast<std::uint32_t>(lists_.size() - 1),
                                 static_cast<std::uint32_t>(k)});
        } else {
          go_on = search(block, list, (number * nb) + k, batches);
          if (!go_on) return;
        }
      }
    });
    if (!sorted || !go_on) return go_on;
    std::sort(candidates_.begin(), candidates_.end(),
              [](const Candidate& a, const Candidate& b) { return before(a, b, a.index, b.index); });
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      const Candidate& cand = candidates_[i];
      if (!beatable(cand.bound)) {
        ruled_out_ += static_cast<std::int64_t>(candidates_.size() - i);
        break;
      }
      if (!search(block, lists_[cand.list], cand.index, options[cand.batch_option])) return false;
    }
    return true;
  }

  // The unit's bounds per batch option and size of the paying stage, tightened for a unit of many lists by
  // the least bound of each kind of its orders (CostBounds::orders), once per unit.
  const double* tightened(const Unit& u, const InterStageBlock& block, const std::vector<int>& sizes,
                          const std::vector<int>& distinct) {
    double* own = unit_bounds_.data() + u.bounds_at;
    // Every stage costed: the orders' kinds need the last stage to be the one that pays fb_sync.
    const bool every_costed = model_ == CostModel::kCorrected || block.label >= block.stage_count;
    if (u.lists <= kSmallUnit || !every_costed || tightened_.size() <= u.bounds_at ||
        tightened_[u.bounds_at] != 0) {
      return own;
    }
    tightened_[u.bounds_at] = 1;
    const auto o = static_cast<std::size_t>(block.node_order);
    if (bounds_.orders(*orders_[o], block.node_order, sizes, distinct, space_.batch_options(),
                       kinds_bound_)) {
      for (std::size_t i = 0; i < kinds_bound_.size(); ++i) own[i] = std::max(own[i], kinds_bound_[i]);
    }
    return own;
  }

  // Runs the DFS of one inter-stage plan and costs its plans.
  bool search(const InterStageBlock& block, const std::vector<int>& list, std::int64_t index, int batches) {
    InterStagePlan plan;
    plan.index = index;
    plan.node_order = block.node_order;
    plan.label = block.label;
    plan.device_groups = &list;
    plan.batches = batches;
    const auto o = static_cast<std::size_t>(block.node_order);
    evaluator_.evaluate(*orders_[o], space_.node_orders()[o], plan);
    return report();
  }

  // Progress: the plans settled (searched, or ruled out by a bound) so far.
  bool report() {
    progress_state_.inter_done = std::min(units_done_ + unit_done_, space_.total());
    progress_state_.steps = result_.count;
    progress_state_.costed = result_.costed_plans;
    progress_state_.has_best = evaluator_.has_best();
    progress_state_.best_cost = evaluator_.best();
    return !progress_ || progress_(progress_state_);
  }

  const ProgressFn& progress_;
  const InterStageSpace& space_;
  SearchResult& result_;
  PlanEvaluator evaluator_;
  CostBounds bounds_;
  DeviceGroups groups_;
  std::vector<std::unique_ptr<NodeOrderTables>> orders_;
  std::vector<std::vector<std::vector<int>>> multisets_;  // by stage count
  std::vector<std::vector<std::int64_t>> list_counts_;    // by stage count, per multiset
  std::vector<std::vector<std::vector<int>>> distinct_;   // by stage count, per multiset: its distinct sizes
  std::vector<Unit> units_;
  std::vector<double> unit_bounds_;
  std::vector<char> tightened_;  // by a unit's bounds_at: whether its bounds were tightened already
  std::vector<double> kinds_bound_;
  CostModel model_;
  std::vector<std::vector<int>> lists_;
  std::vector<Candidate> candidates_;
  SearchProgress progress_state_;
  std::int64_t units_done_ = 0;  // plans of the units searched to their end
  std::int64_t unit_done_ = 0;   // plans of the unit being searched, enumerated so far
  // Plans ruled out by a bound so far, counted as they are (what a stopped search reports; one run to its
  // end rules out every plan it did not search).
  std::int64_t ruled_out_ = 0;
};

}  // namespace

Outcome<SearchResult> run_bounded_search(const Case& c, const SearchRequest& request,
                                         const ProgressFn& progress) {
  const CaseTables tables(c);
  const InterStageSpace space(tables.types(), c.cluster.total_gpus(), c.model.num_layers, c.bounds.gbs,
                              c.bounds.scale_variance, c.bounds.max_permute_len, INT64_MAX,
                              SpaceBuild::kIndex);
  if (space.too_large() || space.total() == INT64_MAX) {
    return Error{"this case has too many inter-stage plans to number (at least " +
                 std::to_string(space.estimate()) +
                 "): lower the GPU count or the number of layers, or raise the scale variance"};
  }
  SearchResult result;
  result.strategy = request.strategy;
  result.cost_model = request.cost_model;
  result.notes = c.notes;
  result.case_reasons = case_reasons(c, request.cost_model, space);
  BoundedSearch search(c, request, progress, space, tables, result);
  search.run();
  return result;
}

}  // namespace hetplan::internal

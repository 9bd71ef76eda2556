#include "search/intra_stage.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "balance/balancers.hpp"
#include "balance/layer_balancer.hpp"
#include "search/stage_figures.hpp"
#include "util/reserve.hpp"

namespace hetplan::internal {

namespace {

constexpr int kPartitionAttempts = 3;

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

}  // namespace

// The DFS over (dp, tp) per stage of one inter-stage plan at a time. Every buffer lives as long as the
// object.
class IntraStageSearch {
 public:
  IntraStageSearch(const CaseTables& t, Strategy strategy, MissingLog& log)
      : strategy_(dfs_of(strategy)),
        log_(log),
        figures_(t),
        balancer_(t.layer_share()),
        max_stages_(t.max_stages()) {
    const std::size_t stages = max_stages_;
    reserve_each(stages, strategies_, share_, demand_, state_, memory_state_, failed_state_, first_failure_,
                 shifted_, room_, extra_, order_, levels_);
    partition_.reserve(stages + 1);
  }

  void run(const NodeOrderTables& n, const InterStagePlan& plan, IntraOutcome& result) {
    start(n, plan, result);
    strategies_.clear();
    levels_.assign(at(stages_), 0);
    widest_dp_ = 0;  // no stage has dp 0: the first widest_stage() scans
    widest_from_ = 0;
    invalid_ = 0;
    pick_ = -1;
    memory_state_.clear();
    failed_state_.clear();
    bool have_memory_state = false;
    int num_repartition = 0;
    bool exhausted = false;
    // Each pass of the outer loop is one call of the reference's has_next; its steps count only when it
    // returns a plan.
    while (!exhausted && num_repartition != 1) {
      std::int64_t steps = 0;
      bool found = false;
      while (true) {
        if (strategies_.empty()) {
          for (int s = 0; s < stages_; ++s) {
            strategies_.emplace_back(figures_.group(s), 1);
            invalid_ += figures_.valid(s, 0) ? 0 : 1;
          }
        } else {
          ++steps;
          if (!next_strategy(have_memory_state)) {
            exhausted = true;
            break;
          }
        }
        if (invalid_ != 0) continue;
        if (!stage_share()) {
          ++result.skipped;
          continue;
        }
        const Partition p = partition();
        if (p.kind != Partition::kFound && p.kind != Partition::kNoFit) {
          count_skip(p.kind, result);
          continue;
        }
        steps += p.repartitions;
        pick_ = -1;  // the DFS key changes below
        std::swap(failed_state_, first_failure_);
        if (p.kind == Partition::kFound) {
          have_memory_state = true;
          std::swap(memory_state_, state_);
          num_repartition = p.attempt;
          keep_plan(result, p.attempt);
          found = true;
          break;
        }
        ++result.out_of_memory;
        have_memory_state = false;
      }
      if (!found) break;
      result.steps += steps;
    }
  }

  // Every (dp, tp) per stage within the bounds, each with the balancer's partition (up to three attempts
  // for memory), in the order of their levels (the last stage's changing fastest): the plans that fit. One
  // step per assignment tried, and one per out-of-memory attempt, as the DFS counts them.
  void run_all(const NodeOrderTables& n, const InterStagePlan& plan, IntraOutcome& result, std::size_t chunk,
               const std::function<bool(const IntraOutcome&)>& take) {
    start(n, plan, result);
    levels_.assign(at(stages_), 0);
    strategies_.assign(at(stages_), {0, 0});
    // The first valid level of each stage; none means no assignment is within the bounds.
    for (int s = 0; s < stages_; ++s) {
      if (!next_valid_level(s, -1)) return;
    }
    while (true) {
      ++result.steps;
      if (stage_share()) {
        const Partition p = partition();
        result.steps += p.repartitions;
        if (p.kind == Partition::kFound) {
          keep_plan(result, p.attempt);
          if (result.found == chunk) {
            const bool go_on = take(result);
            result.first_index += static_cast<std::int64_t>(result.found);
            result.found = 0;
            if (!go_on) return;
          }
        } else if (p.kind == Partition::kNoFit) {
          ++result.out_of_memory;
        } else {
          count_skip(p.kind, result);
        }
      } else {
        ++result.skipped;
      }
      // The next assignment: the last stage that can move to a higher valid level does, and every stage after
      // it starts again from its first.
      int s = stages_ - 1;
      while (s >= 0 && !next_valid_level(s, levels_[at(s)])) --s;
      if (s < 0) return;
      for (int later = s + 1; later < stages_; ++later) next_valid_level(later, -1);
    }
  }

 private:
  // Starts the search of a plan: its figures, and the outcome's counts at zero.
  void start(const NodeOrderTables& n, const InterStagePlan& plan, IntraOutcome& result) {
    figures_.reset(n, plan);
    batches_ = plan.batches;
    stages_ = figures_.stages();
    result.found = 0;
    result.first_index = 0;
    result.steps = 0;
    result.skipped = 0;
    result.skipped_no_memory_estimate = 0;
    result.skipped_no_layer_balance = 0;
    result.out_of_memory = 0;
  }

  // Moves stage s to its first valid level above `after` (setting its dp and tp); false when there is none.
  bool next_valid_level(int s, int after) {
    const int g = figures_.group(s);
    for (int level = after + 1; (g >> level) > 0; ++level) {
      if (!figures_.valid(s, level)) continue;
      levels_[at(s)] = level;
      strategies_[at(s)] = {g >> level, 1 << level};
      return true;
    }
    return false;
  }

  struct Partition {
    // kMissing: a profile entry is missing; kNoEstimate: the memory estimate's list ends before a stage;
    // kNoBalance: the layer balancer placed no partition.
    enum Kind { kFound, kNoFit, kMissing, kNoEstimate, kNoBalance } kind = kNoFit;
    int attempt = 0;
    int repartitions = 0;  // out-of-memory attempts: each counts as a search step
  };

  static void count_skip(Partition::Kind kind, IntraOutcome& result) {
    if (kind == Partition::kNoEstimate) {
      ++result.skipped_no_memory_estimate;
    } else if (kind == Partition::kNoBalance) {
      ++result.skipped_no_layer_balance;
    } else {
      ++result.skipped;
    }
  }

  // Records the current strategies and partition as the next plan of `result`, into a kept entry when there
  // is one (assigning reuses its buffers).
  void keep_plan(IntraOutcome& result, int attempt) {
    if (result.found == result.plans.size()) result.plans.emplace_back();
    IntraPlan& plan = result.plans[result.found++];
    // Room for the largest plan at once: the stage count rises plan after plan, so copies into buffers of
    // the exact size were reallocated again and again.
    reserve_each(max_stages_ + 1, plan.strategies, plan.layer_partition);
    plan.strategies = strategies_;
    plan.layer_partition = partition_;
    plan.num_repartition = attempt;
  }

  // Relative compute speed of each stage (sums to 1), into share_.
  bool stage_share() {
    share_.resize(at(stages_));
    for (int s = 0; s < stages_; ++s) {
      if (!figures_.speed(s, levels_[at(s)], share_[at(s)], log_)) return false;
    }
    double total = 0;
    for (double s : share_) total += s;
    if (!(total > 0)) return false;
    for (double& s : share_) s /= total;
    return true;
  }

  // kFound when every stage has an estimate, else why not (kMissing or kNoEstimate).
  Partition::Kind memory_demand() {
    demand_.resize(at(stages_));
    for (int s = 0; s < stages_; ++s) {
      if (!figures_.memory_demand(s, levels_[at(s)], partition_[at(s)], partition_[at(s + 1)], demand_[at(s)],
                                  log_)) {
        return figures_.memory_list_short(s) ? Partition::kNoEstimate : Partition::kMissing;
      }
    }
    return Partition::kFound;
  }

  // Up to three attempts: balance the layers by share_, estimate memory, and on a shortage shift the shares
  // towards stages with room. Leaves the partition in partition_, the memory left in state_, and the memory
  // left after a failed first attempt in first_failure_ (empty otherwise).
  Partition partition() {
    Partition out;
    first_failure_.clear();
    const auto& capacity = figures_.capacity();
    for (int attempt = 1; attempt <= kPartitionAttempts; ++attempt) {
      if (!balancer_.balance(share_.data(), stages_, partition_)) {
        out.kind = Partition::kNoBalance;
        return out;
      }
      if (const Partition::Kind estimate = memory_demand(); estimate != Partition::kFound) {
        out.kind = estimate;
        return out;
      }
      state_.resize(at(stages_));
      bool short_of_memory = false;
      for (std::size_t s = 0; s < at(stages_); ++s) {
        state_[s] = capacity[s] - demand_[s];
        if (state_[s] < 0) short_of_memory = true;
      }
      if (!short_of_memory) {
        out.kind = Partition::kFound;
        out.attempt = attempt;
        return out;
      }
      if (attempt == 1) first_failure_ = state_;
      ++out.repartitions;
      if (!shift_share_for_memory(share_, capacity, demand_, shifted_, room_, extra_)) break;
      std::swap(share_, shifted_);
    }
    out.kind = Partition::kNoFit;
    return out;
  }

  // One DFS move: halve dp and double tp of the first stage, in order of the key (ties by stage), whose dp is
  // above 1. The key is the memory left per stage (least first); the pruned strategy prefers the state of the
  // first failed attempt; without either, 1 / dp.
  bool next_strategy(bool have_memory_state) {
    const std::vector<double>* key = nullptr;
    if (strategy_ == Strategy::kPruned && !failed_state_.empty()) {
      key = &failed_state_;
    } else if (have_memory_state && !memory_state_.empty()) {
      key = &memory_state_;
    }
    int pick = -1;
    if (key == nullptr) {
      pick = widest_stage();
    } else {
      // With a fixed key only the picked stage changes, so it stays first until its dp reaches 1.
      if (pick_ < 0 || strategies_[at(pick_)].first == 1) pick_ = first_by_key(*key);
      pick = pick_;
    }
    if (pick < 0) return false;
    auto& [dp, tp] = strategies_[at(pick)];
    int& level = levels_[at(pick)];
    invalid_ -= figures_.valid(pick, level) ? 0 : 1;
    dp /= 2;
    tp *= 2;
    ++level;
    invalid_ += figures_.valid(pick, level) ? 0 : 1;
    return true;
  }

  // The least 1 / dp is the largest dp (ties: the first stage), dp above 1.
  //
  // A plan's dps only ever halve, so the largest dp only falls. widest_dp_ bounds every stage's dp and no
  // stage before widest_from_ reaches it: the next stage with the largest dp is the first from widest_from_
  // that has widest_dp_, and only when none is left does a scan find the new largest. That makes a move O(1)
  // on average instead of a scan over every stage (row 4 has 1.7 million moves over up to 40 stages).
  int widest_stage() {
    for (int s = widest_from_; s < stages_; ++s) {
      if (strategies_[at(s)].first == widest_dp_) {
        widest_from_ = s;
        return widest_dp_ > 1 ? s : -1;
      }
    }
    int pick = -1;
    int widest = 1;
    for (int s = 0; s < stages_; ++s) {
      if (strategies_[at(s)].first > widest) {
        widest = strategies_[at(s)].first;
        pick = s;
      }
    }
    widest_dp_ = widest;
    widest_from_ = pick < 0 ? stages_ : pick;
    return pick;
  }

  // The stage with the least key (ties: the first) among those with dp above 1: the first of the reference's
  // stable sort. A NaN key gives no order to scan by, so then sort as it does.
  int first_by_key(const std::vector<double>& key) {
    int pick = -1;
    if (std::none_of(key.begin(), key.end(), [](double k) { return std::isnan(k); })) {
      double least = 0;
      for (int s = 0; s < stages_; ++s) {
        if (strategies_[at(s)].first == 1) continue;
        if (pick < 0 || key[at(s)] < least) {
          pick = s;
          least = key[at(s)];
        }
      }
      return pick;
    }
    order_.resize(at(stages_));
    std::iota(order_.begin(), order_.end(), 0);
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    for (std::size_t s : order_) {
      if (strategies_[s].first != 1) return static_cast<int>(s);
    }
    return -1;
  }

  Strategy strategy_;
  MissingLog& log_;
  StageFigures figures_;
  LayerBalancer balancer_;
  std::size_t max_stages_;
  int batches_ = 1;
  int stages_ = 0;
  std::vector<std::pair<int, int>> strategies_;
  std::vector<double> share_;
  std::vector<int> partition_;
  std::vector<double> demand_;
  std::vector<double> state_;
  std::vector<double> memory_state_;
  std::vector<double> failed_state_;
  std::vector<double> first_failure_;
  std::vector<double> shifted_;
  std::vector<double> room_;
  std::vector<double> extra_;
  std::vector<std::size_t> order_;
  std::vector<int> levels_;  // per stage: times its dp was halved (tp = 1 << level)
  int invalid_ = 0;          // stages whose (dp, tp) is out of bounds
  int pick_ = -1;            // the stage the current DFS key picks, -1 when unknown
  int widest_dp_ = 0;        // an upper bound of every stage's dp (see widest_stage)
  int widest_from_ = 0;      // no stage before it has dp widest_dp_
};

IntraStageSearcher::IntraStageSearcher(const CaseTables& t, Strategy strategy, MissingLog& log)
    : impl_(std::make_unique<IntraStageSearch>(t, strategy, log)) {}

IntraStageSearcher::~IntraStageSearcher() = default;

void IntraStageSearcher::search(const NodeOrderTables& n, const InterStagePlan& plan, IntraOutcome& out) {
  impl_->run(n, plan, out);
}

void IntraStageSearcher::search_all(const NodeOrderTables& n, const InterStagePlan& plan, IntraOutcome& out,
                                    const std::function<bool(const IntraOutcome&)>& take) {
  impl_->run_all(n, plan, out, chunk_, take);
}

IntraOutcome search_intra_stage(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan,
                                Strategy strategy, MissingLog& log) {
  IntraStageSearcher searcher(t, strategy, log);
  IntraOutcome out;
  searcher.search(n, plan, out);
  return out;
}

}  // namespace hetplan::internal

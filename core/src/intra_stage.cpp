#include "hetplan/internal/intra_stage.hpp"

#include <algorithm>
#include <numeric>
#include <optional>

#include "hetplan/internal/balancers.hpp"
#include "stage_estimates.hpp"

namespace hetplan::internal {

namespace {

constexpr double kMemoryCoefficient = 5.0;  // activations and optimizer state over the profiled layer memory
constexpr int kPartitionAttempts = 3;

struct PartitionOutcome {
  enum Kind { kFound, kNoFit, kMissing } kind = kNoFit;
  std::vector<int> partition;
  int attempt = 0;
  std::vector<double> memory_state;  // capacity - demand per stage, of the accepted partition
  std::vector<double> first_failure;  // capacity - demand of the first attempt, when it ran out of memory
  int repartitions = 0;  // out-of-memory attempts: each counts as a search step
};

class StageSearch {
 public:
  StageSearch(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan, MissingLog& log)
      : t_(t), n_(n), plan_(plan), groups_(*plan.device_groups), log_(log) {
    int start = 0;
    for (int g : groups_) {
      start_.push_back(start);
      start += g;
      end_.push_back(start);
    }
    batch_ = t_.gbs() / plan_.batches;
    capacity_ = stage_capacity();
  }

  // Per stage: memory of its GPUs, summed per type in order of first appearance.
  std::vector<double> stage_capacity() const {
    std::vector<double> cap;
    for (std::size_t s = 0; s < groups_.size(); ++s) {
      std::vector<std::pair<int, int>> counts;  // (type, GPUs) in order of first appearance
      for (int r = start_[s]; r < end_[s]; ++r) {
        const int type = n_.rank_type[static_cast<std::size_t>(r)];
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& p) { return p.first == type; });
        if (it == counts.end()) {
          counts.emplace_back(type, 1);
        } else {
          ++it->second;
        }
      }
      double total = 0;
      for (const auto& [type, count] : counts) total += t_.memory_mb(type) * count;
      cap.push_back(total);
    }
    return cap;
  }

  bool valid(const std::vector<std::pair<int, int>>& strategies) const {
    const auto& b = t_.source().bounds;
    for (const auto& [dp, tp] : strategies) {
      const int mbs = t_.gbs() / dp / plan_.batches;
      if (mbs == 0 || mbs > b.max_bs) return false;
      if (tp > b.max_tp) return false;
    }
    return true;
  }

  // Relative compute speed of each stage (sums to 1): 1 / time of the whole model on the stage's GPUs.
  std::optional<std::vector<double>> stage_share(const std::vector<std::pair<int, int>>& strategies) {
    std::vector<double> speed;
    for (std::size_t s = 0; s < groups_.size(); ++s) {
      const auto [dp, tp] = strategies[s];
      const int* ranks = n_.rank_type.data() + start_[s];
      const auto len = static_cast<std::size_t>(groups_[s]);
      if (mixed(ranks, len)) {
        auto split = split_stage_batch(t_, ranks, len, dp, tp, batch_, log_);
        if (!split) return std::nullopt;
        double slowest = 0;
        bool first = true;
        for (int d = 0; d < dp; ++d) {
          const int type = ranks[(len / static_cast<std::size_t>(dp)) * static_cast<std::size_t>(d)];
          double time = 0;
          for (int slice : power_of_two_slices((*split)[static_cast<std::size_t>(d)])) {
            const ProfileEntry* e = t_.entry(type, tp, slice, log_);
            if (e == nullptr) return std::nullopt;
            time += e->layer_time_sum;
          }
          if (first || time > slowest) slowest = time;
          first = false;
        }
        speed.push_back(slowest != 0 ? 1.0 / slowest : 0.0);
      } else {
        const ProfileEntry* e = t_.entry(ranks[0], tp, t_.gbs() / plan_.batches / dp, log_);
        if (e == nullptr) return std::nullopt;
        speed.push_back(1.0 / e->layer_time_sum);
      }
    }
    double total = 0;
    for (double s : speed) total += s;
    if (!(total > 0)) return std::nullopt;
    for (double& s : speed) s /= total;
    return speed;
  }

  // Memory the stages need under a partition, as the reference estimates it: profiled layer memory of the first
  // GPU type in node order, times 5, plus 0.001.
  std::optional<std::vector<double>> memory_demand(const std::vector<int>& partition,
                                                   const std::vector<std::pair<int, int>>& strategies) {
    const auto& mt = n_.memory_rank_type;
    std::vector<double> demand;
    for (std::size_t s = 0; s < groups_.size(); ++s) {
      const auto [dp, tp] = strategies[s];
      if (static_cast<std::size_t>(end_[s]) > mt.size()) return std::nullopt;
      const int a = partition[s];
      const int b = partition[s + 1];
      double need = 0.001;
      if (!mixed(mt.data() + start_[s], static_cast<std::size_t>(groups_[s]))) {
        const ProfileEntry* e = t_.entry(mt[0], tp, t_.gbs() / plan_.batches / dp, log_);
        if (e == nullptr) return std::nullopt;
        need += slice_sum(e->layer_memory, a, b) * kMemoryCoefficient;
      } else {
        // The split is taken over the whole cluster's list, not the stage's (a quirk kept for the counts).
        auto split = split_stage_batch(t_, mt.data(), mt.size(), dp, tp, batch_, log_);
        if (!split) return std::nullopt;
        for (int h : *split) {
          for (int slice : power_of_two_slices(h)) {
            const ProfileEntry* e = t_.entry(mt[0], tp, slice, log_);
            if (e == nullptr) return std::nullopt;
            need += slice_sum(e->layer_memory, a, b) * kMemoryCoefficient;
          }
        }
      }
      demand.push_back(need);
    }
    return demand;
  }

  PartitionOutcome partition(const std::vector<std::pair<int, int>>& strategies, std::vector<double> share) {
    PartitionOutcome out;
    for (int attempt = 1; attempt <= kPartitionAttempts; ++attempt) {
      auto partition = balance_layers(share, t_.layer_share());
      if (!partition) {
        out.kind = PartitionOutcome::kMissing;
        return out;
      }
      auto demand = memory_demand(*partition, strategies);
      if (!demand) {
        out.kind = PartitionOutcome::kMissing;
        return out;
      }
      std::vector<double> state(groups_.size());
      bool short_of_memory = false;
      for (std::size_t s = 0; s < groups_.size(); ++s) {
        state[s] = capacity_[s] - (*demand)[s];
        if (state[s] < 0) short_of_memory = true;
      }
      if (!short_of_memory) {
        out.kind = PartitionOutcome::kFound;
        out.partition = std::move(*partition);
        out.attempt = attempt;
        out.memory_state = std::move(state);
        return out;
      }
      if (attempt == 1) out.first_failure = state;
      ++out.repartitions;
      auto shifted = shift_share_for_memory(share, capacity_, *demand);
      if (!shifted) break;
      share = std::move(*shifted);
    }
    out.kind = PartitionOutcome::kNoFit;
    return out;
  }

  IntraOutcome run(Strategy strategy) {
    IntraOutcome result;
    std::vector<std::pair<int, int>> strategies;
    bool have_memory_state = false;
    std::vector<double> memory_state;
    std::vector<double> failed_state;
    int num_repartition = 0;
    bool exhausted = false;
    // Each pass of the outer loop is one call of the reference's has_next; its steps count only when it returns
    // a plan.
    while (!exhausted && num_repartition != 1) {
      std::int64_t steps = 0;
      bool found = false;
      while (true) {
        if (strategies.empty()) {
          for (int g : groups_) strategies.emplace_back(g, 1);
        } else {
          ++steps;
          if (!next_strategy(strategy, strategies, have_memory_state, memory_state, failed_state)) {
            exhausted = true;
            break;
          }
        }
        if (!valid(strategies)) continue;
        auto share = stage_share(strategies);
        if (!share) {
          ++result.skipped;
          continue;
        }
        auto p = partition(strategies, std::move(*share));
        if (p.kind == PartitionOutcome::kMissing) {
          ++result.skipped;
          continue;
        }
        steps += p.repartitions;
        failed_state = std::move(p.first_failure);
        if (p.kind == PartitionOutcome::kFound) {
          have_memory_state = true;
          memory_state = std::move(p.memory_state);
          num_repartition = p.attempt;
          result.plans.push_back(IntraPlan{strategies, std::move(p.partition), p.attempt});
          found = true;
          break;
        }
        have_memory_state = false;
      }
      if (!found) break;
      result.steps += steps;
    }
    return result;
  }

  // One DFS move: halve dp and double tp of the first stage (by the ordering key) whose dp is above 1. The key is
  // the memory left per stage (least first); the pruned strategy prefers the state of the first failed attempt.
  bool next_strategy(Strategy strategy, std::vector<std::pair<int, int>>& strategies, bool have_memory_state,
                     const std::vector<double>& memory_state, const std::vector<double>& failed_state) const {
    std::vector<double> fallback;
    const std::vector<double>* key = nullptr;
    if (strategy == Strategy::kPruned && !failed_state.empty()) {
      key = &failed_state;
    } else if (have_memory_state && !memory_state.empty()) {
      key = &memory_state;
    } else {
      for (const auto& [dp, tp] : strategies) fallback.push_back(1.0 / dp);
      key = &fallback;
    }
    std::vector<std::size_t> order(strategies.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return (*key)[a] < (*key)[b]; });
    for (std::size_t s : order) {
      auto& [dp, tp] = strategies[s];
      if (dp != 1) {
        dp /= 2;
        tp *= 2;
        return true;
      }
    }
    return false;
  }

 private:
  const CaseTables& t_;
  const NodeOrderTables& n_;
  const InterStagePlan& plan_;
  const std::vector<int>& groups_;
  MissingLog& log_;
  std::vector<int> start_;
  std::vector<int> end_;
  int batch_ = 0;
  std::vector<double> capacity_;
};

}  // namespace

IntraOutcome search_intra_stage(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan,
                                Strategy strategy, MissingLog& log) {
  StageSearch s(t, n, plan, log);
  return s.run(strategy);
}

}  // namespace hetplan::internal

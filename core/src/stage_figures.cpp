#include "stage_figures.hpp"

#include <algorithm>
#include <bit>

#include "stage_estimates.hpp"

namespace hetplan::internal {

namespace {

constexpr double kMemoryCoefficient = 5.0;  // activations and optimizer state over the profiled layer memory

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

}  // namespace

void StageFigures::reset(const NodeOrderTables& n, const InterStagePlan& plan) {
  batches_ = plan.batches;
  batch_ = t_.gbs() / plan.batches;
  if (&n != order_ || plan.device_groups != groups_) {
    order_ = &n;
    groups_ = plan.device_groups;
    group_ = *plan.device_groups;
    const std::size_t stages = group_.size();
    start_.resize(stages);
    level_base_.resize(stages);
    capacity_.resize(stages);
    mixed_ranks_.resize(stages);
    mixed_memory_.resize(stages);
    const auto& mt = n.memory_rank_type;
    int start = 0;
    int base = 0;
    for (std::size_t s = 0; s < stages; ++s) {
      const int g = group_[s];
      start_[s] = start;
      level_base_[s] = base;
      base += std::bit_width(static_cast<unsigned>(g));  // levels 0 .. log2(g)
      const int* ranks = n.rank_type.data() + start;
      mixed_ranks_[s] = mixed(ranks, at(g)) ? 1 : 0;
      mixed_memory_[s] = at(start + g) <= mt.size() && mixed(mt.data() + start, at(g)) ? 1 : 0;
      // Memory of the stage's GPUs, summed per type in order of first appearance.
      counts_.clear();
      for (int r = 0; r < g; ++r) {
        const int type = ranks[r];
        if (!counts_.empty() && counts_.back().first == type) {
          ++counts_.back().second;  // ranks of a type come in runs
          continue;
        }
        auto it =
            std::find_if(counts_.begin(), counts_.end(), [&](const auto& p) { return p.first == type; });
        if (it == counts_.end()) {
          counts_.emplace_back(type, 1);
        } else {
          ++it->second;
        }
      }
      double total = 0;
      for (const auto& [type, count] : counts_) total += t_.memory_mb(type) * count;
      capacity_[s] = total;
      start += g;
    }
    speed_.resize(at(base));
    memory_.resize(at(base));
    valid_.resize(at(base));
    gbs_over_dp_.resize(at(base));
    tp_in_bounds_.resize(at(base));
    for (std::size_t s = 0; s < stages; ++s) {
      for (int level = 0; (group_[s] >> level) > 0; ++level) {
        const std::size_t i = slot(static_cast<int>(s), level);
        gbs_over_dp_[i] = t_.gbs() / (group_[s] >> level);
        tp_in_bounds_[i] = (1 << level) <= t_.source().bounds.max_tp ? 1 : 0;
      }
    }
  }
  // gbs / dp / batches is in [1, max_bs] exactly when gbs / dp is in [batches, (max_bs + 1) x batches).
  const auto& bounds = t_.source().bounds;
  const std::int64_t low = batches_;
  const std::int64_t high = (static_cast<std::int64_t>(bounds.max_bs) + 1) * batches_;
  for (std::size_t i = 0; i < valid_.size(); ++i) {
    const std::int64_t per_dp = gbs_over_dp_[i];
    valid_[i] = per_dp >= low && per_dp < high && tp_in_bounds_[i] != 0;
  }
  std::fill(speed_.begin(), speed_.end(), SpeedSlot{});
  std::fill(memory_.begin(), memory_.end(), MemorySlot{});
  entries_.clear();
}

bool StageFigures::speed(int s, int level, double& out, MissingLog& log) {
  SpeedSlot& slot = speed_[this->slot(s, level)];
  if (slot.state == Slot::kUnknown) {
    slot.state = compute_speed(s, level, slot.value, log) ? Slot::kReady : Slot::kMissing;
  }
  out = slot.value;
  return slot.state == Slot::kReady;
}

bool StageFigures::compute_speed(int s, int level, double& out, MissingLog& log) {
  const int g = group_[at(s)];
  const int dp = g >> level;
  const int tp = 1 << level;
  const int* ranks = order_->rank_type.data() + start_[at(s)];
  if (mixed_ranks_[at(s)] == 0) {
    const ProfileEntry* e = t_.entry(ranks[0], tp, batch_ / dp, log);
    if (e == nullptr) return false;
    out = 1.0 / e->layer_time_sum;
    return true;
  }
  if (!split_stage_batch(t_, ranks, at(g), dp, tp, batch_, log, split_speed_, scratch_, split_)) return false;
  double slowest = 0;
  bool first = true;
  for (int d = 0; d < dp; ++d) {
    const int type = ranks[(at(g) / at(dp)) * at(d)];
    double time = 0;
    bool found = true;
    for_each_power_of_two_slice(split_[at(d)], [&](int slice) {
      if (!found) return;
      const ProfileEntry* e = t_.entry(type, tp, slice, log);
      if (e == nullptr) {
        found = false;
        return;
      }
      time += e->layer_time_sum;
    });
    if (!found) return false;
    if (first || time > slowest) slowest = time;
    first = false;
  }
  out = slowest != 0 ? 1.0 / slowest : 0.0;
  return true;
}

bool StageFigures::collect_memory_entries(int s, int level, MissingLog& log) {
  const auto& mt = order_->memory_rank_type;
  const int dp = group_[at(s)] >> level;
  const int tp = 1 << level;
  if (mixed_memory_[at(s)] == 0) {
    const ProfileEntry* e = t_.entry(mt[0], tp, batch_ / dp, log);
    if (e == nullptr) return false;
    entries_.push_back(e);
    return true;
  }
  // The split is taken over the whole cluster's list, not the stage's (a quirk kept for the counts).
  if (!split_stage_batch(t_, mt.data(), mt.size(), dp, tp, batch_, log, split_speed_, scratch_, split_)) {
    return false;
  }
  for (int h : split_) {
    bool found = true;
    for_each_power_of_two_slice(h, [&](int slice) {
      if (!found) return;
      const ProfileEntry* e = t_.entry(mt[0], tp, slice, log);
      if (e == nullptr) {
        found = false;
        return;
      }
      entries_.push_back(e);
    });
    if (!found) return false;
  }
  return true;
}

const std::vector<double>* StageFigures::range_sums(const ProfileEntry* e) {
  constexpr std::size_t kMaxTabledLayers = 256;  // larger models sum slices directly (the table grows as n^2)
  const std::size_t m = e->layer_memory.size();
  if (m > kMaxTabledLayers) return nullptr;
  auto [it, added] = range_sums_.try_emplace(e);
  if (added) {
    auto& table = it->second;
    table.assign((m + 1) * (m + 1), 0.0);
    for (std::size_t a = 0; a < m; ++a) {
      double sum = 0;  // slice_sum's running sum from a
      for (std::size_t b = a; b < m; ++b) {
        sum += e->layer_memory[b];
        table[a * (m + 1) + b + 1] = sum;
      }
    }
  }
  return &it->second;
}

bool StageFigures::memory_demand(int s, int level, int a, int b, double& out, MissingLog& log) {
  const auto& mt = order_->memory_rank_type;
  if (at(start_[at(s)] + group_[at(s)]) > mt.size()) return false;
  MemorySlot& slot = memory_[this->slot(s, level)];
  if (slot.state == Slot::kUnknown) {
    const auto first = entries_.size();
    const bool ok = collect_memory_entries(s, level, log);
    slot.state = ok ? Slot::kReady : Slot::kMissing;
    slot.first = static_cast<std::uint32_t>(first);
    slot.count = static_cast<std::uint32_t>(entries_.size() - first);
    if (ok && slot.count == 1) slot.sums = range_sums(entries_[first]);
  }
  if (slot.state != Slot::kReady) return false;
  double need = 0.001;
  if (slot.sums != nullptr) {
    const int m = static_cast<int>(entries_[slot.first]->layer_memory.size());
    const int lo = std::clamp(a, 0, m);
    const int hi = std::clamp(b, 0, m);
    const double sum = hi > lo ? (*slot.sums)[at(lo) * at(m + 1) + at(hi)] : 0.0;
    need += sum * kMemoryCoefficient;
  } else if (slot.count == 1) {
    need += slice_sum(entries_[slot.first]->layer_memory, a, b) * kMemoryCoefficient;
  } else {
    // A mixed stage repeats a few entries many times: sum each one's slice once, add them in order.
    sums_.clear();
    for (std::uint32_t i = slot.first; i < slot.first + slot.count; ++i) {
      const ProfileEntry* e = entries_[i];
      auto it = std::find_if(sums_.begin(), sums_.end(), [&](const auto& p) { return p.first == e; });
      if (it == sums_.end()) {
        sums_.emplace_back(e, slice_sum(e->layer_memory, a, b));
        it = sums_.end() - 1;
      }
      need += it->second * kMemoryCoefficient;
    }
  }
  out = need;
  return true;
}

}  // namespace hetplan::internal

#include "search/stage_figures.hpp"

#include <algorithm>
#include <bit>

#include "cost/stage_estimates.hpp"
#include "util/reserve.hpp"

namespace hetplan::internal {

namespace {

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

}  // namespace

StageFigures::StageFigures(const CaseTables& t) : t_(t), memory_sums_(t, &ProfileEntry::layer_memory) {
  reserve_each(t.max_stages(), group_, start_, level_base_, capacity_, mixed_ranks_, mixed_memory_,
               memory_short_);
  // shape_infos_ grows with the stage shapes of a node order, one plan's levels at least.
  reserve_each(t.max_levels(), info_, plan_index_, speed_, memory_, shape_infos_);
  counts_.reserve(t.types().size());
  const auto gpus = static_cast<std::size_t>(t.num_gpus());
  reserve_each(gpus, split_, split_speed_, scratch_.frac, scratch_.order);
  // The memory estimates' entry lists: a split share of a batch has at most one slice per bit of the batch.
  const std::size_t slices = gpus * static_cast<std::size_t>(std::bit_width(static_cast<unsigned>(t.gbs())));
  reserve_each(slices, items_, shared_items_, distinct_, shared_distinct_);
}

void StageFigures::reset(const NodeOrderTables& n, const InterStagePlan& plan) {
  ++plan_;
  batches_ = plan.batches;
  batch_ = t_.gbs() / plan.batches;
  if (&n != order_) {
    mixed_speed_.clear();
    mixed_memory_entries_.clear();
    shared_memory_.clear();
    shared_items_.clear();
    shared_distinct_.clear();
    shapes_.clear();
    shape_infos_.clear();
  }
  if (&n != order_ || *plan.device_groups != group_) {
    order_ = &n;
    group_ = *plan.device_groups;
    const std::size_t stages = group_.size();
    start_.resize(stages);
    level_base_.resize(stages);
    capacity_.resize(stages);
    mixed_ranks_.resize(stages);
    mixed_memory_.resize(stages);
    memory_short_.resize(stages);
    int start = 0;
    int base = 0;
    for (std::size_t s = 0; s < stages; ++s) {
      const int g = group_[s];
      start_[s] = start;
      level_base_[s] = base;
      base += std::bit_width(static_cast<unsigned>(g));  // levels 0 .. log2(g)
      auto [kept, fresh] = shapes_.try_emplace(shape_key(start, g));
      if (fresh) kept->second = measure_shape(s);
      const StageShape& shape = kept->second;
      mixed_ranks_[s] = shape.mixed_ranks;
      mixed_memory_[s] = shape.mixed_memory;
      memory_short_[s] = shape.memory_short;
      capacity_[s] = shape.capacity;
      info_.resize(at(base));
      const auto infos = shape_infos_.begin() + shape.first_info;
      std::copy(infos, infos + (base - level_base_[s]), info_.begin() + level_base_[s]);
      start += g;
    }
    speed_.resize(at(base));
    memory_.resize(at(base));
    plan_index_.resize(at(base));
  }
  items_.clear();
  distinct_.clear();
}

std::uint64_t StageFigures::shape_key(int start, int g) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(start)) << 32U) |
         static_cast<std::uint32_t>(g);
}

// The figures of stage s (start_ and group_ set) of the current node order, its slots' SlotInfo appended to
// shape_infos_. They depend only on the stage's ranks.
StageFigures::StageShape StageFigures::measure_shape(std::size_t s) {
  const NodeOrderTables& n = *order_;
  const auto& mt = n.memory_rank_type;
  const int start = start_[s];
  const int g = group_[s];
  StageShape shape;
  const int* ranks = n.rank_type.data() + start;
  shape.mixed_ranks = mixed(ranks, at(g)) ? 1 : 0;
  shape.memory_short = at(start + g) > mt.size() ? 1 : 0;
  shape.mixed_memory = shape.memory_short == 0 && mixed(mt.data() + start, at(g)) ? 1 : 0;
  // Memory of the stage's GPUs, summed per type in order of first appearance.
  counts_.clear();
  for (int r = 0; r < g; ++r) {
    const int type = ranks[r];
    if (!counts_.empty() && counts_.back().first == type) {
      ++counts_.back().second;  // ranks of a type come in runs
      continue;
    }
    auto it = std::find_if(counts_.begin(), counts_.end(), [&](const auto& p) { return p.first == type; });
    if (it == counts_.end()) {
      counts_.emplace_back(type, 1);
    } else {
      ++it->second;
    }
  }
  double total = 0;
  for (const auto& [type, count] : counts_) total += t_.memory_mb(type) * count;
  shape.capacity = total;
  // slot_info reads the stage's flags.
  mixed_ranks_[s] = shape.mixed_ranks;
  mixed_memory_[s] = shape.mixed_memory;
  memory_short_[s] = shape.memory_short;
  shape.first_info = static_cast<std::uint32_t>(shape_infos_.size());
  for (int level = 0; (g >> level) > 0; ++level) shape_infos_.push_back(slot_info(s, level, ranks[0]));
  return shape;
}

StageFigures::SlotInfo StageFigures::slot_info(std::size_t s, int level, int type) const {
  SlotInfo info;
  info.dp = group_[s] >> level;
  // gbs / dp / batches is in [1, max_bs] exactly when gbs / dp is in [batches, (max_bs + 1) x batches), that
  // is when batches is in [gbs / dp / (max_bs + 1) + 1, gbs / dp] (batches, gbs and max_bs are at least 1).
  const auto& bounds = t_.source().bounds;
  if ((1 << level) <= bounds.max_tp) {
    const std::int64_t per_dp = t_.gbs() / info.dp;
    info.min_batches = static_cast<int>((per_dp / (static_cast<std::int64_t>(bounds.max_bs) + 1)) + 1);
    info.max_batches = static_cast<int>(per_dp);
  }
  if (mixed_ranks_[s] == 0) info.speed_row = t_.dense_row(type, level);
  if (memory_short_[s] == 0 && mixed_memory_[s] == 0) {
    info.memory_row = t_.dense_row(order_->memory_rank_type[0], level);
  }
  return info;
}

void StageFigures::fill_speed(int s, int level, SpeedSlot& slot, MissingLog& log) {
  slot.plan = plan_;
  slot.value = 0;
  bool ok = false;
  if (mixed_ranks_[at(s)] == 0) {
    const int type = order_->rank_type[at(start_[at(s)])];
    const ProfileEntry* e = t_.entry(type, 1 << level, batch_ / (group_[at(s)] >> level), log);
    ok = e != nullptr;
    if (ok) slot.value = 1.0 / e->layer_time_sum;
  } else {
    ok = mixed_speed(s, level, slot.value, log);
  }
  slot.state = ok ? Slot::kReady : Slot::kMissing;
}

// 1 / time of the slowest data-parallel group of a stage of several types.
bool StageFigures::mixed_speed(int s, int level, double& out, MissingLog& log) {
  const int g = group_[at(s)];
  const Key key(start_[at(s)], g, level, batch_);
  if (auto known = mixed_speed_.find(key); known != mixed_speed_.end()) {
    out = known->second;
    return true;
  }
  const int dp = g >> level;
  const int tp = 1 << level;
  const int* ranks = order_->rank_type.data() + start_[at(s)];
  if (!split_stage_batch(t_, ranks, at(g), dp, tp, batch_, log, split_speed_, scratch_, split_)) return false;
  double slowest = 0;
  bool first = true;
  // A group's time depends on its type and share only, and groups of a type come in runs with one share:
  // a group like the one before takes its time (the same entries, found before, added the same way).
  int last_type = -1;
  int last_share = -1;
  double time = 0;
  for (int d = 0; d < dp; ++d) {
    const int type = ranks[(at(g) / at(dp)) * at(d)];
    const int share = split_[at(d)];
    if (type != last_type || share != last_share) {
      const std::size_t row = t_.dense_row(type, level);
      time = 0;
      bool found = true;
      for_each_power_of_two_slice(share, [&](int slice) {
        if (!found) return;
        const ProfileEntry* e = t_.entry_in_row(row, type, level, slice, log);
        if (e == nullptr) {
          found = false;
          return;
        }
        time += e->layer_time_sum;
      });
      if (!found) return false;
      last_type = type;
      last_share = share;
    }
    if (first || time > slowest) slowest = time;
    first = false;
  }
  out = slowest != 0 ? 1.0 / slowest : 0.0;
  mixed_speed_.emplace(key, out);
  return true;
}

// Looks up the entry of the memory estimate of a stage of one type (the first of the list's).
bool StageFigures::single_memory_entry(int s, int level, MemorySlot& slot, MissingLog& log) {
  std::size_t index = 0;
  const ProfileEntry* e =
      t_.entry(order_->memory_rank_type[0], 1 << level, batch_ / (group_[at(s)] >> level), log, index);
  if (e == nullptr) return false;
  if (index != CaseTables::kNotDense) {
    const EntryRangeSums::Table table = memory_sums_.table(index);
    slot.sums = table.sums;
    slot.layers = table.size;
  }
  if (slot.sums == nullptr) {  // summed on each call
    slot.first_item = static_cast<std::uint32_t>(items_.size());
    slot.first_distinct = static_cast<std::uint32_t>(distinct_.size());
    add_memory_entry(e, slot, items_, distinct_);
  }
  return true;
}

// The entries of the memory estimate of a stage of several types, in the reference's order. They depend on
// the stage only through dp and tp, so they are shared by the stages and plans of one node order.
bool StageFigures::mixed_memory_entries(int s, int level, MemorySlot& slot, MissingLog& log) {
  const int dp = group_[at(s)] >> level;
  const int dp_level = static_cast<int>((static_cast<unsigned>(dp) << 5U) | static_cast<unsigned>(level));
  const Key key(dp, level, batch_, 0);
  if (auto known = mixed_memory_entries_.find(key); known != mixed_memory_entries_.end()) {
    slot = known->second;
    slot.plan = plan_;
    return true;
  }
  const std::size_t items = shared_items_.size();
  const std::size_t distinct = shared_distinct_.size();
  slot.shared = true;
  slot.dp_level = dp_level;
  slot.batch = batch_;
  slot.first_item = static_cast<std::uint32_t>(items);
  slot.first_distinct = static_cast<std::uint32_t>(distinct);
  if (!split_memory_entries(dp, level, slot, log)) {
    shared_items_.resize(items);
    shared_distinct_.resize(distinct);
    return false;
  }
  mixed_memory_entries_.emplace(key, slot);
  return true;
}

bool StageFigures::split_memory_entries(int dp, int level, MemorySlot& slot, MissingLog& log) {
  const auto& mt = order_->memory_rank_type;
  const int tp = 1 << level;
  // The split is taken over the whole cluster's list, not the stage's (a quirk kept for the counts).
  if (!split_stage_batch(t_, mt.data(), mt.size(), dp, tp, batch_, log, split_speed_, scratch_, split_)) {
    return false;
  }
  const std::size_t row = t_.dense_row(mt[0], level);
  // Every group's entries are the first type's for its share, and shares come in runs: a group with the
  // share of the one before repeats its items (entries found before, none of them new).
  int last_share = -1;
  std::size_t last_first = 0;
  std::size_t last_count = 0;
  for (int h : split_) {
    if (h == last_share) {
      for (std::size_t i = 0; i < last_count; ++i) {
        const std::uint32_t item = shared_items_[last_first + i];
        shared_items_.push_back(item);
      }
      slot.item_count += static_cast<std::uint32_t>(last_count);
      continue;
    }
    last_first = shared_items_.size();
    bool found = true;
    for_each_power_of_two_slice(h, [&](int slice) {
      if (!found) return;
      const ProfileEntry* e = t_.entry_in_row(row, mt[0], level, slice, log);
      if (e == nullptr) {
        found = false;
        return;
      }
      add_memory_entry(e, slot, shared_items_, shared_distinct_);
    });
    if (!found) return false;
    last_share = h;
    last_count = shared_items_.size() - last_first;
  }
  return true;
}

// A mixed stage repeats a few entries many times: each distinct one is summed once per estimate.
void StageFigures::add_memory_entry(const ProfileEntry* e, MemorySlot& slot,
                                    std::vector<std::uint32_t>& items,
                                    std::vector<const ProfileEntry*>& distinct) {
  const auto first = distinct.begin() + slot.first_distinct;
  const auto k = static_cast<std::uint32_t>(std::find(first, distinct.end(), e) - first);
  if (k == slot.distinct_count) {
    distinct.push_back(e);
    ++slot.distinct_count;
  }
  items.push_back(k);
  ++slot.item_count;
}

void StageFigures::fill_memory(int s, int level, MemorySlot& slot, MissingLog& log) {
  slot = MemorySlot{};
  slot.plan = plan_;
  // A list too short for the stage gives no estimate, and looks nothing up.
  const bool ok =
      memory_short_[at(s)] == 0 && (mixed_memory_[at(s)] == 0 ? single_memory_entry(s, level, slot, log)
                                                              : mixed_memory_entries(s, level, slot, log));
  slot.state = ok ? Slot::kReady : Slot::kMissing;
}

double StageFigures::summed_memory(const MemorySlot& slot, int a, int b) {
  if (!slot.shared) return add_memory(slot, a, b);
  auto [kept, fresh] = shared_memory_.try_emplace(Key(slot.dp_level, slot.batch, a, b));
  if (fresh) kept->second = add_memory(slot, a, b);
  return kept->second;
}

double StageFigures::add_memory(const MemorySlot& slot, int a, int b) {
  // The products are the same for every repeat of an entry; the additions stay in the reference's order.
  const ProfileEntry* const* distinct =
      (slot.shared ? shared_distinct_ : distinct_).data() + slot.first_distinct;
  slice_memory_.resize(slot.distinct_count);
  for (std::uint32_t k = 0; k < slot.distinct_count; ++k) {
    slice_memory_[k] = slice_sum(distinct[k]->layer_memory, a, b) * kMemoryCoefficient;
  }
  double need = 0.001;
  const std::uint32_t* item = (slot.shared ? shared_items_ : items_).data() + slot.first_item;
  for (std::uint32_t i = 0; i < slot.item_count; ++i) need += slice_memory_[item[i]];
  return need;
}

}  // namespace hetplan::internal

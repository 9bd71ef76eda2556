#include "cost/cost.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <vector>

#include "cost/stage_estimates.hpp"
#include "util/divide.hpp"
#include "util/reserve.hpp"

namespace hetplan::internal {

namespace {

constexpr unsigned kSliceBits = 0x7FFFFFFFU;  // the batch slices 2^30 .. 2^0

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

}  // namespace

// The distinct types of the ranks [start, start + g) of the node order, and the figures of their levels.
PlanCoster::Shape PlanCoster::measure_shape(int start, int g) {
  Shape shape;
  shape.first_type = static_cast<std::uint32_t>(shape_types_.size());
  const auto& rank_type = n_->rank_type;
  for (int r = start; r < start + g; ++r) {
    const int type = rank_type[at(r)];
    if (r > start && type == rank_type[at(r - 1)]) continue;  // ranks of a type come in runs
    const auto first = shape_types_.begin() + shape.first_type;
    if (std::find(first, shape_types_.end(), type) == shape_types_.end()) shape_types_.push_back(type);
  }
  shape.type_count = static_cast<std::uint32_t>(shape_types_.size()) - shape.first_type;
  const bool single = shape.type_count == 1;
  shape.first_level = static_cast<std::uint32_t>(shape_levels_.size());
  for (int level = 0; (g >> level) > 0; ++level) {
    // kNoRow, not kNotDense, for none: tabled_execution_time adds an offset to it.
    const std::size_t row = single ? t_.dense_row(shape_types_.back(), level) : CaseTables::kNotDense;
    shape_levels_.push_back(Level{row == CaseTables::kNotDense ? CaseTables::kNoRow : row, Cached{}});
  }
  return shape;
}

PlanCoster::PlanCoster(const CaseTables& t, CostModel model, MissingLog& log)
    : t_(t), model_(model), log_(log), time_sums_(t, &ProfileEntry::layer_times) {
  const std::size_t stages = t.max_stages();
  reserve_each(stages + 1, start_, types_start_);
  reserve_each(stages, level_base_, pipeline_);
  // shape_levels_ and shape_types_ grow with the stage shapes of a node order, one plan's worth at least.
  reserve_each(t.max_levels(), levels_, level_home_, splits_, shape_levels_);
  reserve_each(stages * t.types().size(), types_, shape_types_);
  reserve_each(static_cast<std::size_t>(t.num_gpus()), split_speed_, scratch_.frac, scratch_.order, split_,
               split_shares_);
  // The same divisions as a stage makes at each level, made once.
  const auto& figures = t.source().profiles.model;
  const auto& p = figures.parameters_per_layer;
  tp_terms_.resize(kMaxLevel + 1);
  for (int level = 0; level <= kMaxLevel; ++level) {
    const int tp = 1 << level;
    TpTerms& terms = tp_terms_[at(level)];
    terms.optimizer = figures.optimizer_time / tp;
    if (p.size() < 2) continue;  // no plan can be costed
    terms.first = p.front() / tp;
    terms.last = p.back() / tp;
    terms.middle = p[1] / tp;
  }
}

void PlanCoster::reset(const NodeOrderTables& n, const InterStagePlan& plan) {
  const bool same_groups = *plan.device_groups == groups_;
  if (&n != n_ || !same_groups || plan.batches != batches_) {
    ++split_plan_;
  }
  batches_ = plan.batches;
  if (&n == n_ && same_groups) return;
  if (&n != n_) {
    // Node of each rank (NodeOrderTables::rank_node), and the slowest bandwidth of that node's type.
    rank_node_ = n.rank_node;
    rank_bandwidth_.resize(n.rank_type.size());
    for (std::size_t r = 0; r < n.rank_type.size(); ++r) {
      const int node = rank_node_[r];
      rank_bandwidth_[r] = node >= 0 ? t_.slowest_host_bandwidth(n.node_type[at(node)], model_) : 0.0;
    }
  }
  if (&n != n_) {
    order_figures_.clear();
    order_splits_.clear();
    split_shares_.clear();
    order_times_.clear();
    shapes_.clear();
    shape_types_.clear();
    shape_levels_.clear();
  }
  n_ = &n;
  groups_ = *plan.device_groups;
  const auto& groups = groups_;
  start_.assign(1, 0);
  types_.clear();
  types_start_.assign(1, 0);
  level_base_.clear();
  levels_.clear();
  level_home_.clear();
  int levels = 0;
  for (int g : groups) {
    const int start = start_.back();
    auto [kept, fresh] = shapes_.try_emplace(figure_key(start, g, 0));
    if (fresh) kept->second = measure_shape(start, g);
    const Shape& shape = kept->second;
    const auto first_type = shape_types_.begin() + shape.first_type;
    types_.insert(types_.end(), first_type, first_type + shape.type_count);
    for (int level = 0; (g >> level) > 0; ++level) {
      const std::uint32_t home = shape.first_level + static_cast<std::uint32_t>(level);
      levels_.push_back(shape_levels_[home]);
      level_home_.push_back(home);
    }
    types_start_.push_back(static_cast<int>(types_.size()));
    start_.push_back(start + g);
    level_base_.push_back(levels);
    levels += std::bit_width(static_cast<unsigned>(g));
  }
  pipeline_.assign(groups.size(), Cached{});
  splits_.resize(at(levels));  // stale by their plan number; their buffers are reused
}

std::optional<double> PlanCoster::estimate(const NodeOrderTables& n, const InterStagePlan& plan,
                                           const IntraPlan& intra) {
  reset(n, plan);
  const auto& c = t_.source();
  const auto& figures = c.profiles.model;
  const int layers = c.model.num_layers;
  // `reference` costs only as many stages as the plan's label says (one, for the relabelled plans).
  std::size_t stages = intra.strategies.size();
  if (model_ == CostModel::kReference) stages = std::min(stages, static_cast<std::size_t>(plan.label));
  const auto& part = intra.layer_partition;

  if (stages == 0) return std::nullopt;
  // Running sums and maxima in stage order: the same additions, and the first of equal maxima, as over the
  // per-stage lists.
  double sum_lens = 0;
  double max_len = 0;
  double max_update = 0;
  double max_dp = 0;
  double pp_cost = 0;
  double fb_sync_cost = 0;
  // gbs / dp / batches, with one division per stage: floor(floor(g / d) / b) = floor(floor(g / b) / d).
  const int per_batch = t_.gbs() / batches_;
  for (std::size_t s = 0; s < stages; ++s) {
    const auto [dp, tp] = intra.strategies[s];
    const int a = part[s];
    // `corrected` costs the layers a partition leaves out (the layer balancer can leave the last ones in no
    // stage) in the last stage.
    const int b = s + 1 == part.size() - 1 && model_ == CostModel::kCorrected ? layers : part[s + 1];
    const int mbs = divide(per_batch, dp);
    const auto level = static_cast<unsigned>(std::countr_zero(static_cast<unsigned>(tp)));
    const std::size_t slot = at(level_base_[s]) + level;
    Level& figures_at = levels_[slot];
    double exec = 0;
    if (!tabled_execution_time(figures_at, mbs, a, b, exec) && !execution_time(s, dp, tp, mbs, a, b, exec)) {
      return std::nullopt;
    }
    sum_lens += exec;
    if (s == 0 || max_len < exec) max_len = exec;
    if (s + 1 == stages) {
      double fb = 0;
      if (!fb_sync(s, figures_at, tp, mbs, fb)) return std::nullopt;
      fb_sync_cost = fb * batches_;
    } else {
      const double activation = b == layers - 1
                                    ? static_cast<double>(static_cast<std::int64_t>(mbs) *
                                                          c.model.sequence_length * c.model.vocab_size) /
                                          tp
                                    : static_cast<double>(static_cast<std::int64_t>(mbs) *
                                                          c.model.sequence_length * c.model.hidden_size);
      const Cached& bw = pipeline_[s];
      if (!bw.known) fill_pipeline_bandwidth(s);
      if (!bw.ok) return std::nullopt;
      pp_cost += activation / bw.value;
    }
    Cached& dp_const = figures_at.data_parallel;
    if (!dp_const.known) fill_data_parallel(slot, s, dp, tp);
    if (!dp_const.ok) return std::nullopt;
    const TpTerms& terms = tp_terms_[level];
    // The parameters of the stage's layers, added as the reference adds them.
    int transformer_layers = b - a;
    double params = 0;
    if (a == 0) {
      params += terms.first;
      transformer_layers -= 1;
    }
    if (b == layers) {
      params += terms.last;
      transformer_layers -= 1;
    }
    params += (terms.middle * transformer_layers);
    const double dp_cost = dp_const.value * params;
    if (s == 0 || max_dp < dp_cost) max_dp = dp_cost;
    const double update = terms.optimizer * (static_cast<double>(b - a) / layers);
    if (s == 0 || max_update < update) max_update = update;
  }
  const double execution = ((batches_ - 1) * max_len) + sum_lens;
  const double batch_generation = figures.batch_generator * batches_;
  return execution + fb_sync_cost + max_update + max_dp + pp_cost + batch_generation;
}

// A stage's execution time when tabled_execution_time does not know it.
bool PlanCoster::execution_time(std::size_t s, int dp, int tp, int mbs, int a, int b, double& out) {
  if (types_start_[s + 1] - types_start_[s] == 1) return single_execution_time(s, tp, mbs, a, b, out);
  return mixed_execution_time(s, dp, tp, a, b, out);
}

// Looks the entry up (and logs it when missing), and tables its layer times when it is in the dense table.
bool PlanCoster::single_execution_time(std::size_t s, int tp, int mbs, int a, int b, double& out) {
  std::size_t index = CaseTables::kNotDense;
  const ProfileEntry* e = t_.entry(types_[at(types_start_[s])], tp, mbs, log_, index);
  if (e == nullptr) return false;
  // A table adds as slice_sum does.
  const EntryRangeSums::Table table =
      index == CaseTables::kNotDense ? EntryRangeSums::Table{} : time_sums_.table(index);
  out = table.sums != nullptr ? table.sum(a, b) : slice_sum(e->layer_times, a, b);
  return true;
}

// The slowest data-parallel group of a stage of several types.
// Kept per node order: the same stage ranks, level, micro-batch and layers give the same time (a missing
// entry is looked up, and logged, the first time).
bool PlanCoster::mixed_execution_time(std::size_t s, int dp, int tp, int a, int b, double& out) {
  const int level = std::countr_zero(static_cast<unsigned>(tp));
  const SplitKey split{figure_key(start_[s], start_[s + 1] - start_[s], level), t_.gbs() / batches_};
  const std::uint64_t layers =
      (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32U) | static_cast<std::uint32_t>(b);
  auto [kept, fresh] = order_times_.try_emplace(TimeKey{split, layers});
  Cached& time = kept->second;
  if (fresh) {
    time.known = true;
    time.ok = slowest_group_time(s, dp, tp, a, b, time.value);
  }
  if (time.ok) out = time.value;
  return time.ok;
}

bool PlanCoster::slowest_group_time(std::size_t s, int dp, int tp, int a, int b, double& out) {
  const int* r = n_->rank_type.data() + start_[s];
  const auto len = static_cast<std::size_t>(start_[s + 1] - start_[s]);
  const int* split = stage_split(s, dp, tp);
  if (split == nullptr) return false;
  const std::size_t group = len / static_cast<std::size_t>(dp);
  std::optional<double> slowest;
  // The time of a data-parallel group depends only on its type and its share of the batch, and the split
  // hands out only a few distinct shares: each (type, share) is timed once, by the same additions.
  group_times_.clear();
  for (int d = 0; d < dp; ++d) {
    const int h = split[d];
    if (h == 0) continue;
    const int type = r[group * static_cast<std::size_t>(d)];
    double time = 0;
    auto known = std::find_if(group_times_.begin(), group_times_.end(),
                              [&](const GroupTime& g) { return g.type == type && g.share == h; });
    if (known != group_times_.end()) {
      time = known->time;
    } else {
      // The profiled batch slices of h (its bits 30 .. 0), largest first: set bit by set bit.
      for (auto rest = static_cast<unsigned>(h) & kSliceBits; rest != 0;) {
        const int bit = std::bit_width(rest) - 1;
        rest &= ~(1U << static_cast<unsigned>(bit));
        const int slice = 1 << bit;
        if (slice > t_.source().bounds.max_bs) return false;
        const ProfileEntry* e = t_.entry(type, tp, slice, log_);
        if (e == nullptr) return false;
        time += slice_sum(e->layer_times, a, b);
      }
      group_times_.push_back(GroupTime{type, h, time});
    }
    if (!slowest || time > *slowest) slowest = time;
  }
  if (!slowest) return false;  // every group has an empty share
  out = *slowest;
  return true;
}

// The micro-batch split of mixed stage s at (dp, tp), nullptr when it cannot be split. It depends on the
// stage's ranks, dp, tp and the micro-batch, so it is kept while the plans costed share those: the
// intra-stage plans of one inter-stage plan often put a stage at the same level.
const int* PlanCoster::stage_split(std::size_t s, int dp, int tp) {
  SplitSlot& slot = splits_[at(level_base_[s] + std::countr_zero(static_cast<unsigned>(tp)))];
  if (slot.plan != split_plan_) {
    slot.plan = split_plan_;
    const int level = std::countr_zero(static_cast<unsigned>(tp));
    const int batch = t_.gbs() / batches_;
    const int g = start_[s + 1] - start_[s];
    auto [kept, fresh] = order_splits_.try_emplace(SplitKey{figure_key(start_[s], g, level), batch});
    if (fresh) {
      // A split that fails looks its entries up once: the log keeps each missing key once anyway.
      const int* r = n_->rank_type.data() + start_[s];
      kept->second = kNoSplit;
      if (split_stage_batch(t_, r, at(g), dp, tp, batch, log_, split_speed_, scratch_, split_)) {
        kept->second = static_cast<std::uint32_t>(split_shares_.size());
        split_shares_.insert(split_shares_.end(), split_.begin(), split_.end());
      }
    }
    slot.first = kept->second;
  }
  return slot.first == kNoSplit ? nullptr : split_shares_.data() + slot.first;
}

// The worst fb_sync over the stage's GPUs: over its distinct types, which gives the same maximum and looks up
// the same entries in the same order.
bool PlanCoster::fb_sync(std::size_t s, const Level& level, int tp, int mbs, double& out) {
  // A single-type stage's one entry straight from its row (every plan asks, for its last stage); a row of
  // kNoRow, or a batch size without a slot, lands past the table, and an empty slot goes the long way, which
  // logs the miss.
  if (const std::size_t index = level.time_row + t_.dense_offset(mbs); index < t_.dense_size()) {
    if (const ProfileEntry* e = t_.dense_entry(index); e != nullptr) {
      if (model_ == CostModel::kReference && e->fb_sync == 0) return false;
      out = e->fb_sync;
      return true;
    }
  }
  std::optional<double> worst;
  for (int i = types_start_[s]; i < types_start_[s + 1]; ++i) {
    const ProfileEntry* e = t_.entry(types_[at(i)], tp, mbs, log_);
    if (e == nullptr) return false;
    // The reference takes an fb_sync of exactly 0 for a missing entry.
    if (model_ == CostModel::kReference && e->fb_sync == 0) return false;
    if (!worst || e->fb_sync > *worst) worst = e->fb_sync;
  }
  if (!worst) return false;
  out = *worst;
  return true;
}

// Bandwidth across a set of nodes: the first host's intra-node figure of the type when it is one node, else
// the slowest host of any of the nodes' types. The callers take the running minimum over every rank's node,
// which equals the one over the distinct nodes: a repeated value never replaces the minimum.
double PlanCoster::group_bandwidth(bool one_node, int first_node, double slowest_of_nodes) const {
  if (one_node) return t_.intra_bandwidth(n_->node_type[at(first_node)]);
  return slowest_of_nodes;
}

// Bandwidth across the ranks first, first + stride, ... (count of them): nullopt when a rank has no node in
// the reference's numbering.
std::optional<double> PlanCoster::ranks_bandwidth(int first_rank, int stride, int count) const {
  // A rank's node grows with the rank, and the ranks without a node come last: the first and the last rank
  // tell whether the ranks are on one node, and whether all have a node.
  if (count > 0) {
    const int first_node = rank_node_[at(first_rank)];
    const int last_node = rank_node_[at(first_rank + ((count - 1) * stride))];
    if (last_node < 0) return std::nullopt;
    if (first_node == last_node) return group_bandwidth(true, first_node, 0.0);
  }
  int first = -1;
  bool one_node = true;
  double slowest = std::numeric_limits<double>::infinity();
  for (int k = 0; k < count; ++k) {
    const int r = first_rank + k * stride;
    const int node = rank_node_[at(r)];
    if (node < 0) return std::nullopt;
    if (first < 0) first = node;
    one_node = one_node && node == first;
    slowest = std::min(slowest, rank_bandwidth_[at(r)]);
  }
  return group_bandwidth(one_node, first, slowest);
}

// Place of a figure of the ranks [start, start + count) in order_figures_: tag is the level of a
// data-parallel factor, kPipelineTag for a pipeline bandwidth.
std::uint64_t PlanCoster::figure_key(int start, int count, int tag) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(start)) << 32U) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(count)) << 8U) |
         static_cast<std::uint32_t>(tag);
}

void PlanCoster::fill_pipeline_bandwidth(std::size_t s) {
  Cached& c = pipeline_[s];
  {
    const int count = start_[s + 2] - start_[s];
    auto [kept, first] = order_figures_.try_emplace(figure_key(start_[s], count, kPipelineTag));
    if (first) {
      kept->second.known = true;
      auto bw = ranks_bandwidth(start_[s], 1, count);
      kept->second.ok = bw.has_value();
      // The product every plan divides by, kept: the same multiplication of the same numbers.
      if (kept->second.ok) kept->second.value = *bw * kBytesPerMiB;
    }
    c = kept->second;
  }
}

// Ranks of data-parallel group d are d, d + dp, d + 2 dp, ... within the stage. The factor is the same
// expression of the same numbers for every plan that asks.
void PlanCoster::fill_data_parallel(std::size_t slot, std::size_t s, int dp, int tp) {
  Cached& c = levels_[slot].data_parallel;
  c.known = true;
  c.ok = true;
  double result = std::numeric_limits<double>::infinity();
  for (int d = 0; d < dp && c.ok; ++d) {
    auto bw = ranks_bandwidth(start_[s] + d, dp, tp);
    c.ok = bw.has_value();
    if (c.ok) result = std::min(result, *bw);
  }
  if (c.ok) c.value = (2.0 * (dp - 1)) / (dp * (result * kBytesPerMiB));
  shape_levels_[level_home_[slot]].data_parallel = c;  // for the later plans that put a stage there
}

std::optional<double> estimate_cost(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan,
                                    const IntraPlan& intra, CostModel model, MissingLog& log) {
  PlanCoster c(t, model, log);
  return c.estimate(n, plan, intra);
}

}  // namespace hetplan::internal

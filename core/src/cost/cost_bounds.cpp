#include "cost/cost_bounds.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>

#include "cost/stage_estimates.hpp"

namespace hetplan::internal {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// The bound adds its terms in another order than the cost does; rounding can then put it a few units in the
// last place above a plan's cost. Lowered by this much of its terms' magnitude, it never is.
constexpr double kRoundingMargin = 1e-9;

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

std::uint64_t single_key(int type, int g, int batches) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(type)) << 48U) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(g)) << 24U) |
         static_cast<std::uint32_t>(batches);
}

std::uint64_t mixed_key(int order_id, int start, int g, int batches) {
  // Starts and sizes below 2^20 GPUs, batch counts below 2^16, node orders below 2^8.
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(order_id)) << 56U) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(start)) << 36U) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(g)) << 16U) |
         static_cast<std::uint32_t>(batches);
}

}  // namespace

CostBounds::CostBounds(const CaseTables& t, CostModel model)
    : t_(t), model_(model), layers_(std::max(t.num_layers(), 0)) {
  const auto& bounds = t.source().bounds;
  const int levels = std::bit_width(static_cast<unsigned>(std::max(t.num_gpus(), 1)));
  per_sample_.assign(t.types().size(), std::vector<std::vector<double>>(at(levels)));
  least_per_sample_.assign(at(levels), {});
  for (std::size_t type = 0; type < t.types().size(); ++type) {
    for (int level = 0; level < levels && (1 << level) <= bounds.max_tp; ++level) {
      std::vector<double>& least = per_sample_[type][at(level)];
      // A stage of several types splits its micro-batch into power-of-two slices of at most max_bs.
      for (int bs = 1; bs <= bounds.max_bs; bs *= 2) {
        const ProfileEntry* e = t.find_entry(static_cast<int>(type), 1 << level, bs);
        if (e == nullptr) continue;
        const bool first = least.empty();
        if (first) least.assign(at(layers_), 0.0);
        for (int l = 0; l < layers_; ++l) {
          const double v = at(l) < e->layer_times.size() ? e->layer_times[at(l)] / bs : 0.0;
          if (first || v < least[at(l)]) least[at(l)] = v;
        }
        if (bs > bounds.max_bs / 2) break;  // the next would overflow or pass max_bs
      }
      if (least.empty()) continue;
      std::vector<double>& across = least_per_sample_[at(level)];
      if (across.empty()) {
        across = least;
      } else {
        for (int l = 0; l < layers_; ++l) across[at(l)] = std::min(across[at(l)], least[at(l)]);
      }
    }
  }
  const auto& params = t.source().profiles.model.parameters_per_layer;
  if (params.size() >= 2 && params.front() < params[1]) {
    // The reference's data-parallel term for a stage at the start holding no layer: 2 (dp - 1) / dp x
    // (first - middle) / tp / (its slowest bandwidth x MiB), least at tp 1 with (dp - 1) / dp below 1.
    double slowest = std::numeric_limits<double>::infinity();
    for (std::size_t type = 0; type < t.types().size(); ++type) {
      slowest = std::min({slowest, t.intra_bandwidth(static_cast<int>(type)),
                          t.slowest_host_bandwidth(static_cast<int>(type), model)});
    }
    lone_stage_floor_ =
        slowest > 0 ? 2.0 * (params.front() - params[1]) / (slowest * kBytesPerMiB) : -kInfinity;
  }
  if (t.types().size() > 1) {
    // A tensor-parallel group runs at its first GPU's type (the cost's rule), so a group across a boundary
    // of types runs its other GPUs at that type's speed: one group per boundary, tp - 1 GPUs at most each.
    const int tp = std::min(bounds.max_tp, std::max(t.num_gpus(), 1));
    borrowed_ = static_cast<int>(t.types().size() - 1) * std::max(tp - 1, 0);
  }
  weight_.assign(at(layers_), 0.0);
  const auto& share = t.layer_share();
  for (int l = 0; l < layers_ && at(l) < share.size(); ++l) weight_[at(l)] = std::max(share[at(l)], 0.0);
  weight_prefix_.assign(1, 0.0);
  for (double w : weight_) weight_prefix_.push_back(weight_prefix_.back() + w);
}

double CostBounds::negative_part(const std::vector<double>& per_layer) const {
  double sum = 0;
  for (int l = 0; l < layers_ && at(l) < per_layer.size(); ++l) sum += std::min(per_layer[at(l)], 0.0);
  return sum;
}

double CostBounds::least_ratio(const std::vector<double>& per_layer) const {
  double least = kInfinity;
  for (int l = 0; l < layers_; ++l) {
    if (weight_[at(l)] > 0) least = std::min(least, per_layer[at(l)] / weight_[at(l)]);
  }
  return std::isfinite(least) ? std::max(least, 0.0) : 0.0;
}

void CostBounds::take_level(const std::vector<double>& times, bool fb_ok, double fb, StageBound& out) const {
  const auto fold = [&](std::vector<double>& into, bool first) {
    if (first) into.assign(at(layers_), 0.0);
    for (int l = 0; l < layers_; ++l) {
      // A profile shorter than the model adds nothing for the layers past its end (the cost clamps so).
      const double v = at(l) < times.size() ? times[at(l)] : 0.0;
      if (first || v < into[at(l)]) into[at(l)] = v;
    }
  };
  fold(out.per_layer, !out.usable);
  out.usable = true;
  if (!fb_ok) return;
  fold(out.per_layer_last, !out.usable_last);
  if (!out.usable_last || fb < out.fb_last) out.fb_last = fb;
  out.usable_last = true;
}

// A stage of one type: at each level the cost reads one entry, (type, tp, micro-batch).
void CostBounds::set_speeds(StageBound& b) const {
  const auto speed = [&](const std::vector<double>& per_layer) {
    const double ratio = least_ratio(per_layer);
    return ratio > 0 ? 1.0 / ratio : kInfinity;
  };
  if (b.usable) b.speed = speed(b.per_layer);
  if (b.usable_last) b.speed_last = speed(b.per_layer_last);
}

// Whether the DFS may give a stage this tp and micro-batch (its level's validity).
bool CostBounds::within_bounds(int tp, int mbs) const {
  const auto& bounds = t_.source().bounds;
  return tp <= bounds.max_tp && mbs >= 1 && mbs <= bounds.max_bs;
}

std::vector<CostBounds::Level> CostBounds::valid_levels(int g, int batches) const {
  std::vector<Level> out;
  const int batch = t_.gbs() / batches;
  for (int level = 0; (g >> level) > 0; ++level) {
    const Level v{level, 1 << level, g >> level, batch / (g >> level)};
    if (within_bounds(v.tp, v.mbs)) out.push_back(v);
  }
  return out;
}

void CostBounds::measure_single(int type, int g, int batches, StageBound& out) {
  for (const auto [level, tp, dp, mbs] : valid_levels(g, batches)) {
    const ProfileEntry* e = t_.find_entry(type, tp, mbs);
    if (e == nullptr) continue;
    // The reference takes an fb_sync of exactly 0 for a missing entry.
    const bool fb_ok = !(model_ == CostModel::kReference && e->fb_sync == 0);
    take_level(e->layer_times, fb_ok, e->fb_sync, out);
  }
  set_speeds(out);
}

// A stage of several types: at each level the cost splits the micro-batch over the data-parallel groups and
// takes the slowest group's time, which is at least the time of the group that is slowest over the whole
// model (its per-layer times are the bound).
void CostBounds::measure_mixed(const int* ranks, int g, int batches, StageBound& out) {
  const int batch = t_.gbs() / batches;
  for (const Level& v : valid_levels(g, batches)) {
    // Named copies: a lambda below reads tp, and clang 14 cannot capture a structured binding.
    const int tp = v.tp;
    const int dp = v.dp;
    const int mbs = v.mbs;
    if (!split_stage_batch(t_, ranks, at(g), dp, tp, batch, ignored_, split_speed_, scratch_, split_))
      continue;
    bool ok = true;
    bool any = false;
    double slowest = 0;
    for (int d = 0; d < dp && ok; ++d) {
      const int h = split_[at(d)];
      if (h == 0) continue;
      const int type = ranks[at(g / dp) * at(d)];
      group_time_.assign(at(layers_), 0.0);
      double total = 0;
      for_each_power_of_two_slice(h, [&](int slice) {
        if (!ok) return;
        const ProfileEntry* e = within_bounds(tp, slice) ? t_.find_entry(type, tp, slice) : nullptr;
        if (e == nullptr) {
          ok = false;
          return;
        }
        for (int l = 0; l < layers_ && at(l) < e->layer_times.size(); ++l) {
          group_time_[at(l)] += e->layer_times[at(l)];
        }
        total += e->layer_time_sum;
      });
      if (ok && (!any || total > slowest)) {
        any = true;
        slowest = total;
        slowest_time_ = group_time_;
      }
    }
    if (!ok || !any) continue;
    // The last stage's fb_sync: the worst over the stage's types at (tp, micro-batch).
    bool fb_ok = true;
    double fb = 0;
    bool fb_any = false;
    for (int r = 0; r < g && fb_ok; ++r) {
      if (r > 0 && ranks[r] == ranks[r - 1]) continue;
      const ProfileEntry* e = t_.find_entry(ranks[r], tp, mbs);
      fb_ok = e != nullptr && !(model_ == CostModel::kReference && e->fb_sync == 0);
      if (fb_ok && (!fb_any || e->fb_sync > fb)) fb = e->fb_sync;
      fb_any = true;
    }
    take_level(slowest_time_, fb_ok, fb, out);
  }
}

const CostBounds::StageBound& CostBounds::stage(const NodeOrderTables& n, int order_id, int start, int g,
                                                int batches) {
  const int* ranks = n.rank_type.data() + start;
  if (!mixed(ranks, at(g))) {
    auto [kept, fresh] = single_.try_emplace(single_key(ranks[0], g, batches));
    if (fresh) measure_single(ranks[0], g, batches, kept->second);
    return kept->second;
  }
  auto [kept, fresh] = mixed_.try_emplace(mixed_key(order_id, start, g, batches));
  if (fresh) {
    measure_mixed(ranks, g, batches, kept->second);
    set_speeds(kept->second);
  }
  return kept->second;
}

double CostBounds::least_pipeline(const std::vector<double>& speeds, int batches, double weight,
                                  const std::vector<double>* cap) const {
  // Layers held by the stages in any shares (whole layers or not, some stages holding none): with the
  // slowest stage at M, the sum is least when the fastest stages are filled to M first. Over M, the least is
  // where k stages are exactly full: (B - 1 + k) x the model's weight / the k fastest speeds together.
  if (speeds.empty() || !std::isfinite(speeds.front()) || !(weight > 0)) return 0.0;
  double least = kInfinity;
  double speed = 0;
  for (std::size_t k = 0; k < speeds.size(); ++k) {
    speed += speeds[k];
    if (cap != nullptr) speed = std::min(speed, (*cap)[k]);
    if (!(speed > 0) || !std::isfinite(speed)) continue;
    least = std::min(least, (static_cast<double>(batches - 1) + static_cast<double>(k + 1)) * weight / speed);
  }
  return std::isfinite(least) ? least : 0.0;
}

bool CostBounds::partition_fits(double limit) const {
  // Each stage in turn takes as many layers as fit (taking fewer never helps a later stage), adding as the
  // cost adds, so rounding gives the same answer for the bound's times as for any larger ones.
  int l = 0;
  for (const auto* c : costed_) {
    double taken = 0;
    while (l < layers_ && taken + (*c)[at(l)] <= limit) taken += (*c)[at(l++)];
  }
  return l >= covered_;
}

bool CostBounds::gather(const StageBound& b, bool last, double& fb) {
  const std::vector<double>* times = nullptr;
  if (!last) {
    if (!b.usable) return false;
    times = &b.per_layer;
  } else {
    if (!b.usable_last) return false;
    times = &b.per_layer_last;
    fb = b.fb_last;
  }
  costed_.push_back(times);
  speeds_.push_back(last ? b.speed_last : b.speed);
  if (std::find(distinct_.begin(), distinct_.end(), times) == distinct_.end()) distinct_.push_back(times);
  return true;
}

void CostBounds::start_plan() {
  costed_.clear();
  distinct_.clear();
  speeds_.clear();
}

CostBounds::PlanBound CostBounds::plan(const NodeOrderTables& n, int order_id, const std::vector<int>& groups,
                                       int label, int batches) {
  PlanBound out;
  out.batches = batches;
  out.base = kInfinity;
  const auto stages = groups.size();
  // `reference` costs only as many stages as the label says (one, for the relabelled plans).
  const std::size_t costed =
      model_ == CostModel::kReference ? std::min(stages, static_cast<std::size_t>(label)) : stages;
  start_plan();
  if (costed == 0 || layers_ <= 0) return out;
  int start = 0;
  double fb = 0;
  for (std::size_t s = 0; s < costed; ++s) {
    const StageBound& b = stage(n, order_id, start, groups[s], batches);
    start += groups[s];
    if (!gather(b, s + 1 == costed, fb)) return out;
  }
  finish_plan(out, fb, costed == stages);
  return out;
}

void CostBounds::finish_plan(PlanBound& out, double fb, bool every_stage_costed) {
  const std::size_t costed = costed_.size();
  double sum = 0;
  if (every_stage_costed) {
    // Every layer is in some costed stage: the sum of the stage times is at least the sum, layer by layer,
    // of the least time any stage takes for it, and the slowest stage takes at least the most of those
    // least times and at least the average stage.
    covered_ = covered_layers(costed);
    double most = 0;
    for (int l = 0; l < covered_; ++l) {
      double least = kInfinity;
      for (const auto* c : distinct_) least = std::min(least, (*c)[at(l)]);
      sum += least;
      most = std::max(most, least);
    }
    out.slowest = std::max(most, sum / static_cast<double>(costed));
    std::sort(speeds_.begin(), speeds_.end(), std::greater<>());
    out.pipeline = least_pipeline(speeds_, out.batches, weight_prefix_[at(covered_)]);
    out.sum = sum;
  } else {
    // The relabelled plans of `reference` cost their first stage, which may hold no layer: its execution is
    // at least B x its negative layer times, and its data-parallel term may be negative.
    sum = (out.batches * negative_part(*costed_.front())) + lone_stage_floor_;
    costed_.clear();
  }
  const double fb_cost = fb * out.batches;
  const double generation = t_.source().profiles.model.batch_generator * out.batches;
  out.base = sum + fb_cost + generation -
             (kRoundingMargin * (std::abs(sum) + std::abs(fb_cost) + std::abs(generation) +
                                 (std::abs(out.slowest) * out.batches)));
}

bool CostBounds::exceeds(const PlanBound& bound, double cost) {
  if (bound.value() > cost) return true;
  if (bound.batches <= 1 || costed_.empty()) return false;
  // The bubble needs the slowest stage above this for the plan to cost more than `cost`.
  const double limit = (cost - bound.base) / (bound.batches - 1);
  return !partition_fits(limit);
}

namespace {

// Speed from a weight-normalised time: unbounded when the time is 0.
double speed_of(double ratio, double gpus) {
  return ratio > 0 ? 1.0 / (ratio * gpus) : kInfinity;
}

void fold_bound(const std::vector<double>& from, bool first, std::vector<double>& into) {
  if (first) {
    into = from;
    return;
  }
  for (std::size_t l = 0; l < into.size(); ++l) into[l] = std::min(into[l], from[l]);
}

}  // namespace

void CostBounds::measure_size(int g, int batches, SizeBound& out) {
  const int batch = t_.gbs() / batches;
  const std::size_t types = t_.types().size();
  out.type_speed.assign(types, 0.0);
  StageBound& b = out.stage;
  for (std::size_t type = 0; type < types; ++type) {
    // The GPUs of a type are one run of ranks in every node order: a stage of one type fits in it.
    if (t_.gpus_of_type(static_cast<int>(type)) < g) continue;
    auto [kept, fresh] = single_.try_emplace(single_key(static_cast<int>(type), g, batches));
    if (fresh) measure_single(static_cast<int>(type), g, batches, kept->second);
    const StageBound& one = kept->second;
    if (one.usable) {
      fold_bound(one.per_layer, !b.usable, b.per_layer);
      b.usable = true;
      out.type_speed[type] = speed_of(least_ratio(one.per_layer), g);
    }
    if (one.usable_last) {
      fold_bound(one.per_layer_last, !b.usable_last, b.per_layer_last);
      if (!b.usable_last || one.fb_last < b.fb_last) b.fb_last = one.fb_last;
      b.usable_last = true;
    }
  }
  if (types > 1 && g > 1) {
    // A stage of several types: its slowest data-parallel group holds at least the average share, rounded
    // up, and takes at least that many times the least time per sample of any type. Its fb_sync is the
    // worst of its types', at least the least of any type's.
    for (const auto [level, tp, dp, mbs] : valid_levels(g, batches)) {
      const std::vector<double>& least = least_per_sample_[at(level)];
      if (least.empty()) continue;
      const int share = (batch + dp - 1) / dp;
      group_time_.assign(at(layers_), 0.0);
      for (int l = 0; l < layers_; ++l) group_time_[at(l)] = share * least[at(l)];
      bool fb_ok = false;
      double fb = 0;
      for (std::size_t type = 0; type < types; ++type) {
        const ProfileEntry* e = t_.find_entry(static_cast<int>(type), tp, mbs);
        if (e == nullptr || (model_ == CostModel::kReference && e->fb_sync == 0)) continue;
        if (!fb_ok || e->fb_sync < fb) fb = e->fb_sync;
        fb_ok = true;
      }
      take_level(group_time_, fb_ok, fb, b);
      for (std::size_t type = 0; type < types; ++type) {
        const std::vector<double>& own = per_sample_[type][at(level)];
        if (own.empty()) continue;
        // Each group of tp GPUs runs at most 1 / (batch x its type's least time per sample and weight).
        const double speed = speed_of(least_ratio(own), static_cast<double>(tp) * batch);
        out.type_speed[type] = std::max(out.type_speed[type], speed);
      }
    }
  }
  out.speed = b.usable ? speed_of(least_ratio(b.per_layer), 1.0) : 0.0;
  if (!b.usable || std::any_of(b.per_layer.begin(), b.per_layer.end(), [](double v) { return v < 0; }))
    return;
  out.window.assign(at(layers_) + 1, kInfinity);
  out.window[0] = 0;
  for (int a = 0; a < layers_; ++a) {
    double sum = 0;
    for (int k = 1; a + k <= layers_; ++k) {
      sum += b.per_layer[at(a + k - 1)];
      out.window[at(k)] = std::min(out.window[at(k)], sum);
    }
  }
}

double CostBounds::least_slowest_any_order(const std::vector<int>& sizes, int batches) {
  for (int g : sizes) {
    if (size_bound(g, batches).window.empty()) return 0.0;
  }
  // The covered layers are each in a stage, and a stage holds no more consecutive layers than fit under the
  // limit.
  const int covered = covered_layers(sizes.size());
  const auto fits = [&](double limit) {
    int held = 0;
    for (std::size_t i = 0; i < sizes.size() && held < covered; ++i) {
      const auto& window = size_bound(sizes[i], batches).window;
      int k = 0;
      while (k < layers_ && window[at(k + 1)] <= limit) ++k;
      held += k;
    }
    return held >= covered;
  };
  if (fits(0.0)) return 0.0;
  double low = 0;
  double high = 0;
  for (int g : sizes) high = std::max(high, size_bound(g, batches).window[at(layers_)]);
  if (!fits(high)) return 0.0;
  for (int i = 0; i < 60 && high - low > 1e-7 * high; ++i) {
    const double mid = 0.5 * (low + high);
    (fits(mid) ? high : low) = mid;
  }
  return low;
}

const CostBounds::SizeBound& CostBounds::size_bound(int g, int batches) {
  auto [kept, fresh] = sizes_.try_emplace(single_key(0, g, batches));
  if (fresh) measure_size(g, batches, kept->second);
  return kept->second;
}

double CostBounds::multiset(const std::vector<int>& sizes, bool relabelled, int batches, int last) {
  if (sizes.empty() || layers_ == 0) return kInfinity;
  const double generation = t_.source().profiles.model.batch_generator * batches;
  // Distinct sizes: the multiset is sorted.
  bool all_usable = true;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (i > 0 && sizes[i] == sizes[i - 1]) continue;
    all_usable = all_usable && size_bound(sizes[i], batches).stage.usable;
  }
  const SizeBound& paying = size_bound(last, batches);
  if (!paying.stage.usable_last) return kInfinity;
  const double fb_cost = paying.stage.fb_last * batches;
  double execution = 0;
  if (first_stage_pays_fb(relabelled)) {
    // Costed over the first stage, which may hold no layer: as plan() bounds it.
    execution = (batches * negative_part(paying.stage.per_layer_last)) + lone_stage_floor_;
  } else {
    if (!all_usable) return kInfinity;
    const int covered = covered_layers(sizes.size());
    double sum = 0;
    for (int l = 0; l < covered; ++l) {
      double least = kInfinity;
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (i > 0 && sizes[i] == sizes[i - 1]) continue;
        least = std::min(least, size_bound(sizes[i], batches).stage.per_layer[at(l)]);
      }
      sum += least;
    }
    // The stages' speeds add up to at most the least of: each stage's own bound, and each GPU's bound by
    // type (every GPU is in a stage). The slowest stage takes at least the model's weight over that sum.
    double by_stage = 0;
    for (int g : sizes) by_stage += size_bound(g, batches).speed;
    double by_type = 0;
    double fastest = 0;
    for (std::size_t type = 0; type < t_.types().size(); ++type) {
      double best = 0;
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (i > 0 && sizes[i] == sizes[i - 1]) continue;
        best = std::max(best, size_bound(sizes[i], batches).type_speed[type]);
      }
      by_type += best * t_.gpus_of_type(static_cast<int>(type));
      fastest = std::max(fastest, best);
    }
    by_type += fastest * borrowed_;
    const double speed = std::min(by_stage, by_type);
    const double by_throughput =
        std::isfinite(speed) && speed > 0 ? weight_prefix_[at(covered)] / speed : 0.0;
    const double slowest = std::max(by_throughput, least_slowest_any_order(sizes, batches));
    speeds_.clear();
    for (int g : sizes) speeds_.push_back(size_bound(g, batches).speed);
    std::sort(speeds_.begin(), speeds_.end(), std::greater<>());
    // Any k stages hold at most the GPUs of the k largest, and run at most as fast as that many of the
    // fastest GPUs (by each type's bound per GPU).
    per_gpu_.clear();
    for (std::size_t type = 0; type < t_.types().size(); ++type) {
      double best = 0;
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (i > 0 && sizes[i] == sizes[i - 1]) continue;
        best = std::max(best, size_bound(sizes[i], batches).type_speed[type]);
      }
      per_gpu_.emplace_back(best, t_.gpus_of_type(static_cast<int>(type)));
    }
    std::sort(per_gpu_.begin(), per_gpu_.end(), std::greater<>());
    if (!per_gpu_.empty()) per_gpu_.front().second += borrowed_;
    cap_.clear();
    std::int64_t gpus = 0;
    for (auto g = sizes.rbegin(); g != sizes.rend(); ++g) {
      gpus += *g;
      double speed = 0;
      std::int64_t left = gpus;
      for (const auto& [per, count] : per_gpu_) {
        const std::int64_t used = std::min<std::int64_t>(left, count);
        speed += per * static_cast<double>(used);
        left -= used;
        if (left == 0) break;
      }
      cap_.push_back(speed);
    }
    execution = std::max(((batches - 1) * slowest) + sum,
                         least_pipeline(speeds_, batches, weight_prefix_[at(covered)], &cap_));
  }
  const double total = execution + fb_cost + generation;
  return total - (kRoundingMargin * (std::abs(execution) + std::abs(fb_cost) + std::abs(generation)));
}

}  // namespace hetplan::internal

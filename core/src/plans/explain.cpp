// The explanation recomputes the cost of one plan with plain loops, in the order PlanCoster::estimate adds
// (the search's coster keeps figures across plans, which one plan does not need), and reads the search's
// memory check from StageFigures itself.
#include "hetplan/explain.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "balance/balancers.hpp"
#include "cost/stage_estimates.hpp"
#include "enumerate/inter_stage.hpp"
#include "plans/plan_layout.hpp"
#include "search/stage_figures.hpp"

namespace hetplan {

namespace {

using internal::CaseTables;
using internal::kBytesPerMiB;
using internal::NodeOrderTables;
using internal::StagePlacement;

std::size_t at(int i) {
  return static_cast<std::size_t>(i);
}

// The cost model's figures of one plan, as PlanCoster computes them.
class CostFigures {
 public:
  CostFigures(const CaseTables& t, const NodeOrderTables& n, CostModel model) : t_(t), n_(n), model_(model) {}

  // Node of a rank as the cost model numbers them (NodeOrderTables::rank_node), -1 past the last.
  [[nodiscard]] int node(int rank) const {
    return rank >= 0 && at(rank) < n_.rank_node.size() ? n_.rank_node[at(rank)] : -1;
  }

  // Bandwidth across ranks first, first + stride, ...: the node's intra-node figure when they share one
  // node, else the slowest host figure of their nodes' types; nullopt when a rank has no node.
  [[nodiscard]] std::optional<double> bandwidth(int first, int stride, int count) const {
    int first_node = -1;
    bool one_node = true;
    double slowest = std::numeric_limits<double>::infinity();
    for (int k = 0; k < count; ++k) {
      const int nd = node(first + (k * stride));
      if (nd < 0) return std::nullopt;
      if (first_node < 0) first_node = nd;
      one_node = one_node && nd == first_node;
      slowest = std::min(slowest, t_.slowest_host_bandwidth(n_.node_type[at(nd)], model_));
    }
    if (one_node) return t_.intra_bandwidth(n_.node_type[at(first_node)]);
    return slowest;
  }

  // Forward and backward of one micro-batch: the slowest data-parallel group's layer times, a mixed
  // group's share taken in power-of-two slices.
  std::optional<double> stage_time(const StagePlacement& p) {
    if (!p.mixed()) {
      const ProfileEntry* e = t_.entry(p.types.front().first, p.tp, p.micro_batch, log_);
      if (e == nullptr) return std::nullopt;
      return internal::slice_sum(e->layer_times, p.first_layer, p.end_layer);
    }
    if (p.group_samples.empty()) return std::nullopt;
    std::optional<double> slowest;
    for (int d = 0; d < p.dp; ++d) {
      const int share = p.group_samples[at(d)];
      if (share == 0) continue;
      double time = 0;
      bool found = true;
      internal::for_each_power_of_two_slice(share, [&](int slice) {
        const ProfileEntry* e = found && slice <= t_.source().bounds.max_bs
                                    ? t_.entry(p.group_type[at(d)], p.tp, slice, log_)
                                    : nullptr;
        if (e == nullptr) {
          found = false;
          return;
        }
        time += internal::slice_sum(e->layer_times, p.first_layer, p.end_layer);
      });
      if (!found) return std::nullopt;
      if (!slowest || time > *slowest) slowest = time;
    }
    return slowest;
  }

  // The worst fb_sync over the stage's types at its micro-batch.
  std::optional<double> fb_sync(const StagePlacement& p) {
    std::optional<double> worst;
    for (const auto& [type, count] : p.types) {
      const ProfileEntry* e = t_.entry(type, p.tp, p.micro_batch, log_);
      if (e == nullptr) return std::nullopt;
      if (model_ == CostModel::kReference && e->fb_sync == 0) return std::nullopt;  // taken for missing
      if (!worst || e->fb_sync > *worst) worst = e->fb_sync;
    }
    return worst;
  }

  // The all-reduce factor 2 (dp - 1) / (dp bw MiB) over the stage's groups d, d + dp, ...
  [[nodiscard]] std::optional<double> data_parallel_factor(const StagePlacement& p) const {
    double slowest = std::numeric_limits<double>::infinity();
    for (int d = 0; d < p.dp; ++d) {
      auto bw = bandwidth(p.first_rank + d, p.dp, p.tp);
      if (!bw) return std::nullopt;
      slowest = std::min(slowest, *bw);
    }
    return (2.0 * (p.dp - 1)) / (p.dp * (slowest * kBytesPerMiB));
  }

  // The stage's parameter bytes over tp, added as the cost model adds them (first, last, then the
  // transformer layers at once).
  [[nodiscard]] double parameters(const StagePlacement& p) const {
    const auto& bytes = t_.source().profiles.model.parameters_per_layer;
    if (bytes.size() < 2) return 0;  // as the cost model: no figures, no parameters
    const int layers = t_.num_layers();
    int transformer_layers = p.end_layer - p.first_layer;
    double params = 0;
    if (p.first_layer == 0) {
      params += bytes.front() / p.tp;
      transformer_layers -= 1;
    }
    if (p.end_layer == layers) {
      params += bytes.back() / p.tp;
      transformer_layers -= 1;
    }
    params += ((bytes[1] / p.tp) * transformer_layers);
    return params;
  }

 private:
  const CaseTables& t_;
  const NodeOrderTables& n_;
  CostModel model_;
  internal::MissingLog log_;
};

Error no_cost(const std::string& why) {
  return Error{"the plan's cost cannot be recomputed: " + why};
}

// Terms and per-stage cost figures, as PlanCoster::estimate composes them.
std::optional<Error> explain_cost(const Case& c, const internal::PlanLayout& layout, const PlanRecord& plan,
                                  CostModel model, PlanExplanation& out) {
  CostFigures f(*layout.tables, *layout.order, model);
  std::size_t stages = layout.stages.size();
  if (model == CostModel::kReference)
    stages = std::min(stages, static_cast<std::size_t>(std::max(plan.num_stage, 0)));
  if (stages == 0) return no_cost("no stage is costed");
  out.costed_stages = static_cast<int>(stages);
  const int layers = c.model.num_layers;
  double sum_lens = 0;
  double max_len = 0;
  double max_update = 0;
  double max_dp = 0;
  double pp_cost = 0;
  double fb_sync_cost = 0;
  int slowest = 0;
  int update_stage = 0;
  int dp_stage = 0;
  for (std::size_t s = 0; s < stages; ++s) {
    const StagePlacement& p = layout.stages[s];
    StageExplanation& e = out.stages[s];
    e.costed = true;
    const auto time = f.stage_time(p);
    if (!time) return no_cost("stage " + std::to_string(s + 1) + " needs a profile entry that is missing");
    e.time_ms = *time;
    sum_lens += *time;
    if (s == 0 || max_len < *time) {
      max_len = *time;
      slowest = static_cast<int>(s);
    }
    if (s + 1 == stages) {
      const auto fb = f.fb_sync(p);
      if (!fb) return no_cost("the last costed stage has no fb_sync (missing, or 0 in `reference`)");
      fb_sync_cost = *fb * plan.batches;
    } else {
      const double activation = p.end_layer == layers - 1
                                    ? static_cast<double>(static_cast<std::int64_t>(p.micro_batch) *
                                                          c.model.sequence_length * c.model.vocab_size) /
                                          p.tp
                                    : static_cast<double>(static_cast<std::int64_t>(p.micro_batch) *
                                                          c.model.sequence_length * c.model.hidden_size);
      const auto bw = f.bandwidth(p.first_rank, 1, p.gpus + layout.stages[s + 1].gpus);
      if (!bw) return no_cost("a rank of stage " + std::to_string(s + 1) + " has no node");
      e.pp_send_ms = activation / (*bw * kBytesPerMiB);
      pp_cost += e.pp_send_ms;
    }
    const auto factor = f.data_parallel_factor(p);
    if (!factor) return no_cost("a rank of stage " + std::to_string(s + 1) + " has no node");
    e.dp_sync_ms = *factor * f.parameters(p);
    if (s == 0 || max_dp < e.dp_sync_ms) {
      max_dp = e.dp_sync_ms;
      dp_stage = static_cast<int>(s);
    }
    e.update_ms = (c.profiles.model.optimizer_time / p.tp) *
                  (static_cast<double>(p.end_layer - p.first_layer) / layers);
    if (s == 0 || max_update < e.update_ms) {
      max_update = e.update_ms;
      update_stage = static_cast<int>(s);
    }
  }
  out.bottleneck = slowest;
  out.stages[at(slowest)].bottleneck = true;
  const int b = plan.batches;
  out.terms = {
      {"bubble", "pipeline bubble: (micro-batches - 1) x the slowest stage's time", (b - 1) * max_len,
       slowest},
      {"compute", "pipeline compute: the stages' times per micro-batch, summed", sum_lens, -1},
      {"fb_sync", "forward-backward sync of the last stage x micro-batches", fb_sync_cost,
       static_cast<int>(stages) - 1},
      {"update", "optimizer update (the slowest stage's)", max_update, update_stage},
      {"dp_sync", "data-parallel gradient sync (the slowest stage's)", max_dp, dp_stage},
      {"pp", "pipeline activation transfers between stages, summed", pp_cost, -1},
      {"batch_generation", "batch generation x micro-batches", c.profiles.model.batch_generator * b, -1},
  };
  double total = 0;
  for (const CostTerm& term : out.terms) total += term.ms;
  out.total_ms = total;
  return std::nullopt;
}

// The search's check: StageFigures gives the figure the DFS compared, for this plan's degrees and layers.
void explain_check(const internal::PlanLayout& layout, const PlanRecord& plan, PlanExplanation& out) {
  internal::StageFigures figures(*layout.tables);
  const internal::InterStagePlan inter{plan.inter_plan_index, 0, plan.num_stage, &plan.device_groups,
                                       plan.batches};
  figures.reset(*layout.order, inter);
  internal::MissingLog log;
  const auto& mt = layout.order->memory_rank_type;
  const std::string& first_type = layout.tables->types()[at(mt.empty() ? 0 : mt.front())];
  for (std::size_t s = 0; s < layout.stages.size(); ++s) {
    const StagePlacement& p = layout.stages[s];
    StageExplanation& e = out.stages[s];
    e.check_type = first_type;
    const auto end = at(p.first_rank + p.gpus);
    e.check_cluster_split = end <= mt.size() && internal::mixed(mt.data() + p.first_rank, at(p.gpus));
    const int level = std::countr_zero(static_cast<unsigned>(p.tp));
    e.check_known =
        figures.memory_demand(static_cast<int>(s), level, p.first_layer, p.end_layer, e.check_demand_mb, log);
    e.check_capacity_mb = figures.capacity()[s];
  }
}

// Activation bytes of one micro-batch of `samples` on one GPU, per layer (docs/explain.md).
double activation_bytes(const ModelConfig& m, int layer, int samples, int tp) {
  const double s = m.sequence_length;
  const double b = samples;
  const double h = m.hidden_size;
  if (layer == 0) return s * b * h;  // the embedding's dropout mask
  if (layer == m.num_layers - 1) return (4.0 * s * b * h) + (4.0 * s * b * m.vocab_size / tp);
  const double a = m.attention_heads;
  return s * b * h * (10.0 + (24.0 / tp) + (5.0 * a * s / (h * tp)));
}

// Per type of each stage: weights, gradients and optimizer states of its parameter share, and the
// activations of the micro-batches in flight under 1F1B, for the largest share any group with such a GPU
// takes.
void explain_memory(const Case& c, const internal::PlanLayout& layout, const PlanRecord& plan,
                    PlanExplanation& out) {
  const auto& bytes = c.profiles.model.parameters_per_layer;
  const auto stages = static_cast<int>(layout.stages.size());
  const auto& types = layout.tables->types();
  const auto& ranks = layout.order->rank_type;
  for (int s = 0; s < stages; ++s) {
    const StagePlacement& p = layout.stages[at(s)];
    StageExplanation& e = out.stages[at(s)];
    e.in_flight = std::min(stages - s, plan.batches);
    double params = 0;
    for (int l = std::max(p.first_layer, 0); l < p.end_layer && at(l) < bytes.size(); ++l)
      params += bytes[at(l)];
    params /= kProfiledBytesPerParameter * p.tp;
    const int group = p.gpus / p.dp;
    for (const auto& [type, count] : p.types) {
      GpuMemory m;
      m.type = types[at(type)];
      m.gpus = count;
      for (int d = 0; d < p.dp; ++d) {
        const auto first = ranks.begin() + p.first_rank + (static_cast<std::ptrdiff_t>(d) * group);
        if (std::find(first, first + group, type) == first + group) continue;
        m.samples = std::max(m.samples, p.group_samples.empty() ? p.micro_batch : p.group_samples[at(d)]);
      }
      m.weights_mb = params * kWeightBytes / kBytesPerMiB;
      m.gradients_mb = params * kGradientBytes / kBytesPerMiB;
      m.optimizer_mb = params * kOptimizerBytes / kBytesPerMiB;
      double act = 0;
      for (int l = std::max(p.first_layer, 0); l < std::min(p.end_layer, c.model.num_layers); ++l)
        act += activation_bytes(c.model, l, m.samples, p.tp);
      m.activations_mb = e.in_flight * act / kBytesPerMiB;
      m.total_mb = m.weights_mb + m.gradients_mb + m.optimizer_mb + m.activations_mb;
      m.capacity_mb = layout.tables->memory_mb(type);
      e.memory.push_back(std::move(m));
    }
  }
}

}  // namespace

Outcome<PlanExplanation> explain_plan(const Case& c, const PlanRecord& plan, CostModel model) {
  auto layout = internal::lay_out_plan(c, plan, internal::node_sizes_of(model));
  if (!layout) return layout.error();
  PlanExplanation out;
  out.cost_model = model;
  out.batches = plan.batches;
  const auto& types = layout->tables->types();
  for (const StagePlacement& p : layout->stages) {
    StageExplanation e;
    e.first_rank = p.first_rank;
    e.gpus = p.gpus;
    for (const auto& [type, count] : p.types) e.types.emplace_back(types[at(type)], count);
    e.dp = p.dp;
    e.tp = p.tp;
    e.first_layer = p.first_layer;
    e.end_layer = p.end_layer;
    e.micro_batch = p.micro_batch;
    e.group_samples = p.group_samples;
    out.stages.push_back(std::move(e));
  }
  if (auto bad = explain_cost(c, *layout, plan, model, out)) return *bad;
  explain_check(*layout, plan, out);
  explain_memory(c, *layout, plan, out);
  if (out.costed_stages < static_cast<int>(out.stages.size())) {
    out.notes.push_back("`reference` costs only the first " + std::to_string(out.costed_stages) +
                        " stage(s): the plan is labelled " + std::to_string(plan.num_stage) +
                        " stage(s) but has " + std::to_string(out.stages.size()) + " device groups");
  }
  const auto& part = plan.layer_partition;
  if (part.front() != 0 || part.back() != c.model.num_layers || !std::is_sorted(part.begin(), part.end())) {
    out.notes.emplace_back(
        "the layer partition does not run from 0 to the last layer in order (the reference's layer balancer "
        "gives such partitions); the cost takes each stage's layers [start, end) as they are");
  }
  if (model == CostModel::kReference) {
    out.notes.emplace_back("`reference` reads each node's intra-node bandwidth between nodes");
  }
  return out;
}

}  // namespace hetplan

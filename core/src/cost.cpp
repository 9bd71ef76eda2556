#include "hetplan/internal/cost.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "stage_estimates.hpp"

namespace hetplan::internal {

namespace {

constexpr double kBytesPerMiB = 1024.0 * 1024.0;

class PlanCost {
 public:
  PlanCost(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan, CostModel model,
           MissingLog& log)
      : t_(t), n_(n), plan_(plan), groups_(*plan.device_groups), model_(model), log_(log) {
    int start = 0;
    for (int g : groups_) {
      start_.push_back(start);
      start += g;
    }
    start_.push_back(start);
  }

  std::optional<double> estimate(const IntraPlan& intra) {
    const auto& c = t_.source();
    const auto& figures = c.profiles.model;
    const int layers = c.model.num_layers;
    // `reference` costs only as many stages as the plan's label says (one, for the relabelled plans).
    std::size_t stages = intra.strategies.size();
    if (model_ == CostModel::kReference) stages = std::min(stages, static_cast<std::size_t>(plan_.label));
    const auto& part = intra.layer_partition;

    std::vector<double> lens;
    std::vector<double> dp_costs;
    std::vector<double> update_costs;
    double pp_cost = 0;
    double fb_sync_cost = 0;
    for (std::size_t s = 0; s < stages; ++s) {
      const auto [dp, tp] = intra.strategies[s];
      const int a = part[s];
      const int b = part[s + 1];
      auto exec = execution_time(s, dp, tp, a, b);
      if (!exec) return std::nullopt;
      lens.push_back(*exec);
      const int mbs = t_.gbs() / dp / plan_.batches;
      if (s + 1 == stages) {
        auto fb = fb_sync(s, tp, mbs);
        if (!fb) return std::nullopt;
        fb_sync_cost = *fb * plan_.batches;
      } else {
        const double activation =
            b == layers - 1
                ? static_cast<double>(static_cast<std::int64_t>(mbs) * c.model.sequence_length * c.model.vocab_size) / tp
                : static_cast<double>(static_cast<std::int64_t>(mbs) * c.model.sequence_length * c.model.hidden_size);
        auto bw = pipeline_bandwidth(s);
        if (!bw) return std::nullopt;
        pp_cost += activation / (*bw * kBytesPerMiB);
      }
      auto dp_bw = data_parallel_bandwidth(s, dp, tp);
      if (!dp_bw) return std::nullopt;
      const double params = stage_parameters(tp, a, b);
      const double dp_const = (2.0 * (dp - 1)) / (dp * (*dp_bw * kBytesPerMiB));
      dp_costs.push_back(dp_const * params);
      update_costs.push_back(figures.optimizer_time / tp * (static_cast<double>(b - a) / layers));
    }
    if (lens.empty()) return std::nullopt;
    double sum_lens = 0;
    for (double l : lens) sum_lens += l;
    const double max_len = *std::max_element(lens.begin(), lens.end());
    const double execution = ((plan_.batches - 1) * max_len) + sum_lens;
    const double batch_generation = figures.batch_generator * plan_.batches;
    return execution + fb_sync_cost + *std::max_element(update_costs.begin(), update_costs.end()) +
           *std::max_element(dp_costs.begin(), dp_costs.end()) + pp_cost + batch_generation;
  }

 private:
  const int* ranks(std::size_t s) const { return n_.rank_type.data() + start_[s]; }
  std::size_t len(std::size_t s) const { return static_cast<std::size_t>(groups_[s]); }

  std::optional<double> execution_time(std::size_t s, int dp, int tp, int a, int b) {
    const int* r = ranks(s);
    if (!mixed(r, len(s))) {
      const ProfileEntry* e = t_.entry(r[0], tp, t_.gbs() / dp / plan_.batches, log_);
      if (e == nullptr) return std::nullopt;
      return slice_sum(e->layer_times, a, b);
    }
    auto split = split_stage_batch(t_, r, len(s), dp, tp, t_.gbs() / plan_.batches, log_);
    if (!split) return std::nullopt;
    const std::size_t group = len(s) / static_cast<std::size_t>(dp);
    std::optional<double> slowest;
    for (int d = 0; d < dp; ++d) {
      const int h = (*split)[static_cast<std::size_t>(d)];
      if (h == 0) continue;
      const int type = r[group * static_cast<std::size_t>(d)];
      double time = 0;
      for (int slice : power_of_two_slices(h)) {
        if (slice > t_.source().bounds.max_bs) return std::nullopt;
        const ProfileEntry* e = t_.entry(type, tp, slice, log_);
        if (e == nullptr) return std::nullopt;
        time += slice_sum(e->layer_times, a, b);
      }
      if (!slowest || time > *slowest) slowest = time;
    }
    return slowest;
  }

  std::optional<double> fb_sync(std::size_t s, int tp, int mbs) {
    const int* r = ranks(s);
    std::optional<double> worst;
    for (std::size_t i = 0; i < len(s); ++i) {
      const ProfileEntry* e = t_.entry(r[i], tp, mbs, log_);
      if (e == nullptr) return std::nullopt;
      // The reference takes an fb_sync of exactly 0 for a missing entry.
      if (model_ == CostModel::kReference && e->fb_sync == 0) return std::nullopt;
      if (!worst || e->fb_sync > *worst) worst = e->fb_sync;
    }
    return worst;
  }

  // Node of a rank as the reference numbers them: every node is taken to hold as many GPUs as the first.
  std::optional<int> node_of(int rank) const {
    const int per_node = t_.first_host_gpus();
    if (per_node <= 0 || rank >= per_node * t_.num_hosts()) return std::nullopt;
    return rank / per_node;
  }

  // Bandwidth across a set of nodes: the first host's intra-node figure of the type when it is one node, else
  // the slowest host of any of the nodes' types.
  double group_bandwidth(const std::vector<int>& nodes) const {
    if (nodes.size() == 1) return t_.intra_bandwidth(n_.node_type[static_cast<std::size_t>(nodes[0])]);
    double slowest = std::numeric_limits<double>::infinity();
    for (int node : nodes) {
      slowest = std::min(slowest, t_.slowest_host_bandwidth(n_.node_type[static_cast<std::size_t>(node)], model_));
    }
    return slowest;
  }

  std::optional<double> pipeline_bandwidth(std::size_t s) const {
    std::vector<int> nodes;
    for (int r = start_[s]; r < start_[s + 2]; ++r) {
      auto node = node_of(r);
      if (!node) return std::nullopt;
      if (std::find(nodes.begin(), nodes.end(), *node) == nodes.end()) nodes.push_back(*node);
    }
    return group_bandwidth(nodes);
  }

  // Ranks of data-parallel group d are d, d + dp, d + 2 dp, ... within the stage.
  std::optional<double> data_parallel_bandwidth(std::size_t s, int dp, int tp) const {
    double slowest = std::numeric_limits<double>::infinity();
    for (int d = 0; d < dp; ++d) {
      std::vector<int> nodes;
      for (int k = 0; k < tp; ++k) {
        auto node = node_of(start_[s] + d + k * dp);
        if (!node) return std::nullopt;
        if (std::find(nodes.begin(), nodes.end(), *node) == nodes.end()) nodes.push_back(*node);
      }
      slowest = std::min(slowest, group_bandwidth(nodes));
    }
    return slowest;
  }

  double stage_parameters(int tp, int a, int b) const {
    const auto& p = t_.source().profiles.model.parameters_per_layer;
    const int layers = t_.num_layers();
    int transformer_layers = b - a;
    double params = 0;
    if (a == 0) {
      params += p.front() / tp;
      transformer_layers -= 1;
    }
    if (b == layers) {
      params += p.back() / tp;
      transformer_layers -= 1;
    }
    params += (p[1] / tp * transformer_layers);
    return params;
  }

  const CaseTables& t_;
  const NodeOrderTables& n_;
  const InterStagePlan& plan_;
  const std::vector<int>& groups_;
  CostModel model_;
  MissingLog& log_;
  std::vector<int> start_;
};

}  // namespace

std::optional<double> estimate_cost(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan,
                                    const IntraPlan& intra, CostModel model, MissingLog& log) {
  PlanCost c(t, n, plan, model, log);
  return c.estimate(intra);
}

}  // namespace hetplan::internal

#include "hetplan/internal/context.hpp"

#include <algorithm>
#include <limits>

namespace hetplan::internal {

namespace {

std::uint64_t key_of(int tp, int bs) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(tp)) << 32) | static_cast<std::uint32_t>(bs);
}

}  // namespace

CaseTables::CaseTables(const Case& c) : c_(c), types_(c.cluster.sorted_types()) {
  const auto n = types_.size();
  const auto& cl = c.cluster;
  num_gpus_ = cl.total_gpus();
  first_host_gpus_ = cl.hosts.empty() ? 0 : cl.hosts.front().gpus;
  entries_.resize(n);
  memory_mb_.resize(n);
  gpus_.resize(n);
  hosts_.resize(n);
  intra_first_.assign(n, 0);
  slowest_intra_.assign(n, std::numeric_limits<double>::infinity());
  slowest_inter_.assign(n, std::numeric_limits<double>::infinity());
  for (std::size_t t = 0; t < n; ++t) {
    const auto& name = types_[t];
    if (auto it = c.profiles.entries.find(name); it != c.profiles.entries.end()) {
      for (const auto& [k, e] : it->second) entries_[t].emplace(key_of(k.first, k.second), &e);
    }
    memory_mb_[t] = cl.memory_mb_of_type(name);
    gpus_[t] = cl.gpus_of_type(name);
    hosts_[t] = cl.hosts_of_type(name);
    bool first = true;
    for (std::size_t h = 0; h < cl.hosts.size(); ++h) {
      const auto& spec = cl.spec_of_host(h);
      if (spec.type != name) continue;
      if (first) intra_first_[t] = spec.intra_bandwidth;
      first = false;
      slowest_intra_[t] = std::min(slowest_intra_[t], spec.intra_bandwidth);
      slowest_inter_[t] = std::min(slowest_inter_[t], spec.inter_bandwidth);
    }
  }
  build_dense_table();
  if (const ProfileEntry* e = c.profiles.find(c.balance_type, 1, 1)) {
    for (double d : e->layer_times) layer_share_.push_back(d / e->layer_time_sum);
  }
}

void CaseTables::build_dense_table() {
  // Batch sizes above this go to the hash map, so a profile with one huge batch size cannot blow the table
  // up.
  constexpr int kDenseBsLimit = 4096;
  for (const auto& m : entries_) {
    for (const auto& [k, e] : m) {
      const auto tp = static_cast<std::uint32_t>(k >> 32);
      const auto bs = static_cast<int>(static_cast<std::uint32_t>(k));
      if (tp == 0 || (tp & (tp - 1)) != 0 || bs < 1 || bs > kDenseBsLimit) continue;
      dense_levels_ = std::max(dense_levels_, std::countr_zero(tp) + 1);
      dense_max_bs_ = std::max(dense_max_bs_, bs);
    }
  }
  dense_.assign(
      entries_.size() * static_cast<std::size_t>(dense_levels_) * static_cast<std::size_t>(dense_max_bs_),
      nullptr);
  for (std::size_t t = 0; t < entries_.size(); ++t) {
    for (const auto& [k, e] : entries_[t]) {
      const auto tp = static_cast<std::uint32_t>(k >> 32);
      const auto bs = static_cast<int>(static_cast<std::uint32_t>(k));
      if (tp == 0 || (tp & (tp - 1)) != 0 || bs < 1 || bs > dense_max_bs_) continue;
      dense_[(t * static_cast<std::size_t>(dense_levels_) + static_cast<std::size_t>(std::countr_zero(tp))) *
                 static_cast<std::size_t>(dense_max_bs_) +
             static_cast<std::size_t>(bs - 1)] = e;
    }
  }
}

const ProfileEntry* CaseTables::find_sparse(int type, int tp, int bs) const {
  const auto& m = entries_[static_cast<std::size_t>(type)];
  auto it = m.find(key_of(tp, bs));
  return it != m.end() ? it->second : nullptr;
}

void CaseTables::log_missing(int type, int tp, int bs, MissingLog& log) const {
  log.keys.insert(types_[static_cast<std::size_t>(type)] + " tp" + std::to_string(tp) + " bs" +
                  std::to_string(bs));
}

NodeOrderTables::NodeOrderTables(const CaseTables& t, const std::vector<std::string>& order_names) {
  for (const auto& name : order_names) {
    const int id =
        static_cast<int>(std::lower_bound(t.types().begin(), t.types().end(), name) - t.types().begin());
    order.push_back(id);
    rank_type.insert(rank_type.end(), static_cast<std::size_t>(t.gpus_of_type(id)), id);
    memory_rank_type.insert(
        memory_rank_type.end(),
        static_cast<std::size_t>(t.hosts_of_type(id)) * static_cast<std::size_t>(t.first_host_gpus()), id);
    node_type.insert(node_type.end(), static_cast<std::size_t>(t.hosts_of_type(id)), id);
  }
}

}  // namespace hetplan::internal

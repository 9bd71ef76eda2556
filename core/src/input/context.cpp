#include "input/context.hpp"

#include <algorithm>
#include <limits>
#include <map>

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
  sparse_.resize(n);
  memory_mb_.resize(n);
  gpus_.resize(n);
  hosts_.resize(n);
  intra_first_.assign(n, 0);
  slowest_intra_.assign(n, std::numeric_limits<double>::infinity());
  slowest_inter_.assign(n, std::numeric_limits<double>::infinity());
  for (std::size_t t = 0; t < n; ++t) {
    const auto& name = types_[t];
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
  build_entry_tables();
  if (const ProfileEntry* e = c.profiles.find(c.balance_type, 1, 1)) {
    for (double d : e->layer_times) layer_share_.push_back(d / e->layer_time_sum);
  }
}

void CaseTables::build_entry_tables() {
  // The profiles of each type (types_ order), or nullptr when a type has none.
  std::vector<const std::map<std::pair<int, int>, ProfileEntry>*> profiles(types_.size(), nullptr);
  for (std::size_t t = 0; t < types_.size(); ++t) {
    if (auto it = c_.profiles.entries.find(types_[t]); it != c_.profiles.entries.end())
      profiles[t] = &it->second;
  }
  for (const auto* m : profiles) {
    if (m == nullptr) continue;
    for (const auto& [k, e] : *m) {
      if (!power_of_two(k.first) || !power_of_two(k.second)) continue;
      dense_levels_ = std::max(dense_levels_, std::countr_zero(static_cast<unsigned>(k.first)) + 1);
      dense_bs_levels_ = std::max(dense_bs_levels_, std::countr_zero(static_cast<unsigned>(k.second)) + 1);
    }
  }
  bs_offset_.assign(std::size_t{1} << dense_bs_levels_, kNoOffset);
  for (int level = 0; level < dense_bs_levels_; ++level) {
    bs_offset_[std::size_t{1} << level] = static_cast<std::size_t>(level);
  }
  dense_.assign(
      types_.size() * static_cast<std::size_t>(dense_levels_) * static_cast<std::size_t>(dense_bs_levels_),
      nullptr);
  for (std::size_t t = 0; t < types_.size(); ++t) {
    if (profiles[t] == nullptr) continue;
    for (const auto& [k, e] : *profiles[t]) {
      const auto [tp, bs] = k;
      if (!power_of_two(tp) || !power_of_two(bs)) {
        sparse_[t].emplace(key_of(tp, bs), &e);
        continue;
      }
      dense_[dense_row(static_cast<int>(t), std::countr_zero(static_cast<unsigned>(tp))) +
             static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(bs)))] = &e;
    }
  }
}

const ProfileEntry* CaseTables::find_sparse(int type, int tp, int bs) const {
  const auto& m = sparse_[static_cast<std::size_t>(type)];
  auto it = m.find(key_of(tp, bs));
  return it != m.end() ? it->second : nullptr;
}

void CaseTables::log_missing(int type, int tp, int bs, MissingLog& log) const {
  log.keys.insert(types_[static_cast<std::size_t>(type)] + " tp" + std::to_string(tp) + " bs" +
                  std::to_string(bs));
}

NodeOrderTables::NodeOrderTables(const CaseTables& t, const std::vector<std::string>& order_names,
                                 NodeSizes sizes) {
  const auto& hosts = t.source().cluster.hosts;
  // Every type once, and so every GPU and host once.
  order.reserve(order_names.size());
  rank_type.reserve(static_cast<std::size_t>(t.num_gpus()));
  node_type.reserve(hosts.size());
  for (const auto& name : order_names) {
    const int id =
        static_cast<int>(std::lower_bound(t.types().begin(), t.types().end(), name) - t.types().begin());
    order.push_back(id);
    rank_type.insert(rank_type.end(), static_cast<std::size_t>(t.gpus_of_type(id)), id);
    node_type.insert(node_type.end(), static_cast<std::size_t>(t.hosts_of_type(id)), id);
  }
  rank_node.assign(rank_type.size(), -1);
  if (sizes == NodeSizes::kActual) {
    memory_rank_type = rank_type;
    // The nodes of each type in hostfile order, the types in node order.
    std::size_t rank = 0;
    int node = 0;
    for (const auto& name : order_names) {
      for (std::size_t h = 0; h < hosts.size(); ++h) {
        if (t.source().cluster.spec_of_host(h).type != name) continue;
        for (int g = 0; g < hosts[h].gpus; ++g) rank_node[rank++] = node;
        ++node;
      }
    }
    return;
  }
  const int per_node = t.first_host_gpus();
  memory_rank_type.reserve(hosts.size() * static_cast<std::size_t>(per_node));
  for (const int id : order) {
    memory_rank_type.insert(
        memory_rank_type.end(),
        static_cast<std::size_t>(t.hosts_of_type(id)) * static_cast<std::size_t>(per_node), id);
  }
  for (std::size_t r = 0; r < rank_node.size(); ++r) {
    const auto rank = static_cast<int>(r);
    if (per_node > 0 && rank < per_node * t.num_hosts()) rank_node[r] = rank / per_node;
  }
}

}  // namespace hetplan::internal

// Per-case tables the search reads on every step: device types as small integers, profile entries by
// (type, tp, bs), memory and bandwidth per type, and per node order the type of every GPU rank.
#pragma once

#include <bit>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/model.hpp"

namespace hetplan::internal {

// Records lookups of profile entries that do not exist.
struct MissingLog {
  std::set<std::string> keys;
};

class CaseTables {
 public:
  explicit CaseTables(const Case& c);

  [[nodiscard]] const Case& source() const { return c_; }
  [[nodiscard]] const std::vector<std::string>& types() const { return types_; }  // sorted by name
  [[nodiscard]] int num_gpus() const { return num_gpus_; }
  [[nodiscard]] int num_layers() const { return c_.model.num_layers; }
  [[nodiscard]] int gbs() const { return c_.bounds.gbs; }

  // nullptr (and the key logged) when the profiles lack the entry.
  const ProfileEntry* entry(int type, int tp, int bs, MissingLog& log) const {
    const ProfileEntry* e = find_entry(type, tp, bs);
    if (e == nullptr) log_missing(type, tp, bs, log);
    return e;
  }
  // The same, and into `index` the entry's place in the dense table (kNotDense when it comes from the hash
  // map), so callers can keep figures per entry in a flat table of dense_size() slots.
  const ProfileEntry* entry(int type, int tp, int bs, MissingLog& log, std::size_t& index) const {
    const ProfileEntry* e = find_entry(type, tp, bs, index);
    if (e == nullptr) log_missing(type, tp, bs, log);
    return e;
  }
  static constexpr std::size_t kNotDense = static_cast<std::size_t>(-1);
  [[nodiscard]] std::size_t dense_size() const { return dense_.size(); }
  [[nodiscard]] const ProfileEntry* dense_entry(std::size_t index) const { return dense_[index]; }

  [[nodiscard]] const ProfileEntry* find_entry(int type, int tp, int bs) const {
    std::size_t index = 0;
    return find_entry(type, tp, bs, index);
  }
  // The search asks for power-of-two tp and small bs: those come from a dense table, the rest from a hash
  // map.
  [[nodiscard]] const ProfileEntry* find_entry(int type, int tp, int bs, std::size_t& index) const {
    index = kNotDense;
    if (tp > 0 && (tp & (tp - 1)) == 0 && bs > 0 && bs <= dense_max_bs_) {
      const int level = std::countr_zero(static_cast<unsigned>(tp));
      if (level >= dense_levels_) return nullptr;  // no entry has so large a power-of-two tp
      index = dense_row(type, level) + static_cast<std::size_t>(bs - 1);
      return dense_[index];
    }
    return find_sparse(type, tp, bs);
  }
  // Dense index of (type, tp 1 << level, bs 1), for callers that ask for many batch sizes of one (type,
  // level): bs in [1, dense_max_bs()] is at dense_row + bs - 1. kNotDense when level is past the table (the
  // entry, if any, is then in the hash map).
  [[nodiscard]] std::size_t dense_row(int type, int level) const {
    if (level < 0 || level >= dense_levels_) return kNotDense;
    return (static_cast<std::size_t>(type) * static_cast<std::size_t>(dense_levels_) +
            static_cast<std::size_t>(level)) *
           static_cast<std::size_t>(dense_max_bs_);
  }
  [[nodiscard]] int dense_max_bs() const { return dense_max_bs_; }

  [[nodiscard]] const std::vector<double>& layer_share() const { return layer_share_; }
  [[nodiscard]] double memory_mb(int type) const { return memory_mb_[static_cast<std::size_t>(type)]; }
  [[nodiscard]] int gpus_of_type(int type) const { return gpus_[static_cast<std::size_t>(type)]; }
  [[nodiscard]] int hosts_of_type(int type) const { return hosts_[static_cast<std::size_t>(type)]; }
  [[nodiscard]] int first_host_gpus() const { return first_host_gpus_; }
  [[nodiscard]] int num_hosts() const { return static_cast<int>(c_.cluster.hosts.size()); }
  // Intra-node bandwidth of the first host of a type (hostfile order).
  [[nodiscard]] double intra_bandwidth(int type) const {
    return intra_first_[static_cast<std::size_t>(type)];
  }
  // Slowest bandwidth among the hosts of a type: their intra-node figure (reference) or inter-node
  // (corrected).
  [[nodiscard]] double slowest_host_bandwidth(int type, CostModel m) const {
    return m == CostModel::kReference ? slowest_intra_[static_cast<std::size_t>(type)]
                                      : slowest_inter_[static_cast<std::size_t>(type)];
  }

 private:
  const Case& c_;
  std::vector<std::string> types_;
  int num_gpus_ = 0;
  int first_host_gpus_ = 0;
  void build_dense_table();
  [[nodiscard]] const ProfileEntry* find_sparse(int type, int tp, int bs) const;
  void log_missing(int type, int tp, int bs, MissingLog& log) const;

  std::vector<std::unordered_map<std::uint64_t, const ProfileEntry*>> entries_;
  // Dense table over (type, log2 tp < dense_levels_, 1 <= bs <= dense_max_bs_); nullptr where no entry
  // exists.
  std::vector<const ProfileEntry*> dense_;
  int dense_levels_ = 0;
  int dense_max_bs_ = 0;
  std::vector<double> layer_share_;
  std::vector<double> memory_mb_;
  std::vector<int> gpus_;
  std::vector<int> hosts_;
  std::vector<double> intra_first_;
  std::vector<double> slowest_intra_;
  std::vector<double> slowest_inter_;
};

// The GPUs of one node order, by rank.
struct NodeOrderTables {
  std::vector<int> order;      // type ids in node order
  std::vector<int> rank_type;  // type of each rank: the types in node order, each repeated by its GPU count
  // The list the reference's memory estimate reads: each type repeated (its node count x the first node's GPU
  // count) times. It equals rank_type when every node has the same GPU count.
  std::vector<int> memory_rank_type;
  // Type of each node as the bandwidth estimate numbers them (node order, one entry per node).
  std::vector<int> node_type;

  NodeOrderTables(const CaseTables& t, const std::vector<std::string>& order_names);
};

}  // namespace hetplan::internal

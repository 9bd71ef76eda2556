// Per-case tables the search reads on every step: device types as small integers, profile entries by
// (type, tp, bs), memory and bandwidth per type, and per node order the type of every GPU rank.
#pragma once

#include <algorithm>
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
  // Bounds for buffers sized per stage or per (stage, level), so that a search can size them once: a plan
  // has at most min(GPUs, layers) + 1 stages (the + 1 for the relabelled plans), and a stage of g GPUs has
  // bit_width(g) levels.
  [[nodiscard]] std::size_t max_stages() const {
    return static_cast<std::size_t>(std::max(std::min(num_gpus_, num_layers()), 0)) + 1;
  }
  [[nodiscard]] std::size_t max_levels() const {
    return max_stages() * static_cast<std::size_t>(std::bit_width(static_cast<unsigned>(num_gpus_)));
  }

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
  // The search asks for power-of-two tp and bs (a micro-batch is split into power-of-two slices): those come
  // from a dense table by (type, log2 tp, log2 bs), the rest from a hash map. The table has a slot for
  // every power-of-two pair up to the largest profiled, so it stays small (a table by bs itself would be
  // mostly empty, and clearing it, and the per-entry tables of callers sized by it, would cost more than
  // the search of a small case).
  [[nodiscard]] const ProfileEntry* find_entry(int type, int tp, int bs, std::size_t& index) const {
    index = kNotDense;
    if (power_of_two(tp) && power_of_two(bs)) {
      const int level = std::countr_zero(static_cast<unsigned>(tp));
      const int bs_level = std::countr_zero(static_cast<unsigned>(bs));
      // No entry has so large a power-of-two tp or bs.
      if (level >= dense_levels_ || bs_level >= dense_bs_levels_) return nullptr;
      index = dense_row(type, level) + static_cast<std::size_t>(bs_level);
      return dense_[index];
    }
    return find_sparse(type, tp, bs);
  }
  // Dense index of (type, tp 1 << level, bs 1), for callers that ask for many batch sizes of one (type,
  // level): see dense_at. kNotDense when level is past the table.
  [[nodiscard]] std::size_t dense_row(int type, int level) const {
    if (level < 0 || level >= dense_levels_) return kNotDense;
    return (static_cast<std::size_t>(type) * static_cast<std::size_t>(dense_levels_) +
            static_cast<std::size_t>(level)) *
           static_cast<std::size_t>(dense_bs_levels_);
  }
  // Dense index of batch size bs in a dense_row; kNotDense when row is, or when bs has no slot (not a power
  // of two, or past the largest profiled: the entry, if any, is then in the hash map).
  [[nodiscard]] std::size_t dense_at(std::size_t row, int bs) const {
    if (row == kNotDense || !power_of_two(bs)) return kNotDense;
    const int bs_level = std::countr_zero(static_cast<unsigned>(bs));
    return bs_level < dense_bs_levels_ ? row + static_cast<std::size_t>(bs_level) : kNotDense;
  }
  // entry(type, 1 << level, bs, log) for row = dense_row(type, level): one table load when bs has a slot
  // and the entry exists, the full lookup (which logs a missing entry) otherwise. For loops over the
  // power-of-two slices of a batch share, which look up many batch sizes of one (type, level).
  const ProfileEntry* entry_in_row(std::size_t row, int type, int level, int bs, MissingLog& log) const {
    if (row != kNotDense) {
      const std::size_t offset = dense_offset(bs);
      if (offset != kNoOffset) {
        if (const ProfileEntry* e = dense_[row + offset]; e != nullptr) return e;
      }
    }
    return entry(type, 1 << level, bs, log);
  }
  // The step of dense_at for hot paths, without its tests: dense_offset(bs) is bs's offset in a dense_row,
  // kNoOffset when bs has no slot, and a row of kNoRow stands for none. Their sums, row + offset, are then
  // past the table without wrapping round, so one bounds test on the sum takes the place of dense_at's tests
  // (the cost asks once per stage of every plan).
  static constexpr std::size_t kNoRow = SIZE_MAX / 2;
  static constexpr std::size_t kNoOffset = SIZE_MAX / 4;
  [[nodiscard]] std::size_t dense_offset(int bs) const {
    const auto u = static_cast<unsigned>(bs);
    return u < bs_offset_.size() ? bs_offset_[u] : kNoOffset;
  }

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
  static bool power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }
  void build_entry_tables();
  [[nodiscard]] const ProfileEntry* find_sparse(int type, int tp, int bs) const;
  void log_missing(int type, int tp, int bs, MissingLog& log) const;

  // Per type, the entries whose tp or bs is not a power of two (none in most profiles).
  std::vector<std::unordered_map<std::uint64_t, const ProfileEntry*>> sparse_;
  // Dense table over (type, log2 tp < dense_levels_, log2 bs < dense_bs_levels_); nullptr where no entry
  // exists.
  std::vector<const ProfileEntry*> dense_;
  int dense_levels_ = 0;
  int dense_bs_levels_ = 0;
  // Per bs below 1 << dense_bs_levels_: its offset in a dense row, kNoOffset when it is not a power of two.
  std::vector<std::size_t> bs_offset_;
  std::vector<double> layer_share_;
  std::vector<double> memory_mb_;
  std::vector<int> gpus_;
  std::vector<int> hosts_;
  std::vector<double> intra_first_;
  std::vector<double> slowest_intra_;
  std::vector<double> slowest_inter_;
};

// How many GPUs the memory and bandwidth estimates take each node to hold.
enum class NodeSizes {
  // The reference's: as many as the first node of the hostfile. When the first node has fewer GPUs than
  // others the last GPUs have no node and the memory list ends before them (the reference then fails, and
  // the search skips such candidates); the counts of every case it can run depend on this numbering.
  kAsFirstNode,
  // Each node its own GPU count: the same numbering when every node has the same count.
  kActual,
};

// The node sizes each cost model's estimates read: each node's own in `corrected`, the first node's for all
// in `reference` (the same unless node sizes differ, where the reference misreads types and nodes, or finds
// no node for the last GPUs).
inline NodeSizes node_sizes_of(CostModel m) {
  return m == CostModel::kCorrected ? NodeSizes::kActual : NodeSizes::kAsFirstNode;
}

// The GPUs of one node order, by rank.
struct NodeOrderTables {
  std::vector<int> order;      // type ids in node order
  std::vector<int> rank_type;  // type of each rank: the types in node order, each repeated by its GPU count
  // The list the memory estimate reads: each type repeated as many times as it has GPUs (see NodeSizes).
  std::vector<int> memory_rank_type;
  // Node of each rank (see NodeSizes); -1 for a rank past the last node.
  std::vector<int> rank_node;
  // Type of each node as the bandwidth estimate numbers them (node order, one entry per node).
  std::vector<int> node_type;

  NodeOrderTables(const CaseTables& t, const std::vector<std::string>& order_names,
                  NodeSizes sizes = NodeSizes::kAsFirstNode);
};

}  // namespace hetplan::internal

// Estimates shared by the intra-stage search and the cost: the micro-batch split of a mixed-type stage, and
// sums over profile slices.
#pragma once

#include <algorithm>
#include <optional>
#include <vector>

#include "balance/balancers.hpp"
#include "input/context.hpp"

namespace hetplan::internal {

// Bandwidths in the cluster files are in MiB per second (as the reference reads them), and memory figures
// are reported in MiB: bytes are divided by this.
inline constexpr double kBytesPerMiB = 1024.0 * 1024.0;

// Micro-batch split of `batch` samples over the dp groups of a stage whose ranks have types ranks[0..len):
// each dp group is `len / dp` consecutive ranks and runs at the speed of its first rank's type at (tp, bs 1).
// Into `out`, with `speed` and `scratch` as buffers; false when it cannot be split.
inline bool split_stage_batch(const CaseTables& t, const int* ranks, std::size_t len, int dp, int tp,
                              int batch, MissingLog& log, std::vector<double>& speed, SplitScratch& scratch,
                              std::vector<int>& out) {
  const std::size_t group = len / static_cast<std::size_t>(dp);
  if (group == 0) return false;
  speed.clear();
  // The ranks of a type come in runs, so a group's type is mostly the previous group's: its entry, which was
  // found, and its speed are the same. Only a change of type looks up (and may log) an entry.
  int run_type = -1;
  double run_speed = 0;
  for (int i = 0; i < dp; ++i) {
    if (const int type = ranks[static_cast<std::size_t>(i) * group]; type != run_type) {
      const ProfileEntry* e = t.entry(type, tp, 1, log);
      if (e == nullptr) return false;
      run_type = type;
      run_speed = 1.0 / e->layer_time_sum;
    }
    speed.push_back(run_speed);
  }
  split_batch(speed.data(), speed.size(), batch, out, scratch);
  return true;
}

// Left-to-right sum of v[begin:end] with Python's slice clamping.
inline double slice_sum(const std::vector<double>& v, int begin, int end) {
  const auto n = static_cast<int>(v.size());
  const int b = std::clamp(begin, 0, n);
  const int e = std::clamp(end, 0, n);
  double s = 0;
  for (int i = b; i < e; ++i) s += v[static_cast<std::size_t>(i)];
  return s;
}

inline bool mixed(const int* ranks, std::size_t len) {
  for (std::size_t i = 1; i < len; ++i) {
    if (ranks[i] != ranks[0]) return true;
  }
  return false;
}

}  // namespace hetplan::internal

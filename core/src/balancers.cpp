#include "hetplan/internal/balancers.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace hetplan::internal {

std::vector<int> power_of_two_slices(int n) {
  std::vector<int> out;
  for (int bit = 30; bit >= 0; --bit) {
    if ((n >> bit) & 1) out.push_back(1 << bit);
  }
  return out;
}

std::vector<int> split_batch(const std::vector<double>& speed, int batch) {
  double total = 0;
  for (double s : speed) total += s;
  const std::size_t n = speed.size();
  std::vector<int> share(n);
  std::vector<double> frac(n);
  long assigned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double exact = static_cast<double>(batch) * (speed[i] / total);
    share[i] = static_cast<int>(exact);
    frac[i] = exact - static_cast<double>(share[i]);
    assigned += share[i];
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return frac[a] > frac[b]; });
  const long remainder = std::min<long>(batch - assigned, static_cast<long>(n));
  for (long i = 0; i < remainder; ++i) share[order[static_cast<std::size_t>(i)]] += 1;
  return share;
}

namespace {

constexpr int kPieces = 7;  // pieces per layer

struct PieceBalancer {
  int stages;
  int pieces;
  std::vector<double> capacity;  // remaining compute share per stage
  const std::vector<double>& layer_share;
  std::vector<double> piece_share;  // per piece
  std::vector<std::vector<int>> alloc;
  std::vector<int> unassigned;  // sorted ascending

  PieceBalancer(const std::vector<double>& stage_share, const std::vector<double>& ls)
      : stages(static_cast<int>(stage_share.size())),
        pieces(static_cast<int>(ls.size()) * kPieces),
        capacity(stage_share),
        layer_share(ls),
        alloc(stage_share.size()) {
    piece_share.reserve(static_cast<std::size_t>(pieces));
    for (double s : ls) {
      const double p = s / kPieces;
      for (int k = 0; k < kPieces; ++k) piece_share.push_back(p);
    }
  }

  // Stages 0..S-2 take pieces in order while their share lasts; the first piece that does not fit is left over
  // and the next stage starts after it. The last stage's pieces are left for the backward pass.
  void forward() {
    int k = 0;
    const int end = pieces - 1 - kPieces;
    for (int s = 0; s + 1 < stages; ++s) {
      for (int p = k; p < end; ++p) {
        if (capacity[s] > piece_share[p]) {
          capacity[s] -= piece_share[p];
          alloc[s].push_back(p);
          k = p + 1;
        } else {
          unassigned.push_back(p);
          k = p + 1;
          break;
        }
      }
    }
    for (int p = k; p < pieces; ++p) unassigned.push_back(p);
    std::sort(unassigned.begin(), unassigned.end());
    unassigned.erase(std::unique(unassigned.begin(), unassigned.end()), unassigned.end());
  }

  void remove_unassigned(int p) {
    auto it = std::lower_bound(unassigned.begin(), unassigned.end(), p);
    if (it != unassigned.end() && *it == p) unassigned.erase(it);
  }

  // The last stage takes leftover pieces from the end: always one layer's worth, then more while contiguous
  // and its share lasts.
  void backward() {
    const int last = stages - 1;
    std::vector<int> snapshot(unassigned.rbegin(), unassigned.rend());
    for (int p : snapshot) {
      auto& mine = alloc[last];
      if (static_cast<int>(mine.size()) < kPieces) {
        capacity[last] -= piece_share[p];
        mine.push_back(p);
        remove_unassigned(p);
        continue;
      }
      if (p + 1 != *std::min_element(mine.begin(), mine.end())) continue;
      if (capacity[last] > piece_share[p]) {
        capacity[last] -= piece_share[p];
        mine.push_back(p);
        remove_unassigned(p);
      }
    }
  }

  // A leftover piece goes to the stage with the most remaining share among those between its neighbours.
  bool leftovers() {
    std::vector<int> snapshot = unassigned;
    for (int q : snapshot) {
      int lo = 0;
      int hi = stages - 1;
      double lo_value = -std::numeric_limits<double>::infinity();
      double hi_value = std::numeric_limits<double>::infinity();
      for (int s = 0; s < stages; ++s) {
        if (alloc[s].empty()) continue;
        const auto [mn, mx] = std::minmax_element(alloc[s].begin(), alloc[s].end());
        if (q > *mx && *mx > lo_value) {
          lo = s;
          lo_value = *mx;
        }
        if (q < *mn && *mn < hi_value) {
          hi = s;
          hi_value = *mn;
        }
      }
      int best = -1;
      double best_capacity = -std::numeric_limits<double>::infinity();
      for (int s = lo; s <= hi; ++s) {
        if (capacity[s] > best_capacity) {
          best_capacity = capacity[s];
          best = s;
        }
      }
      if (best < 0) return false;
      capacity[best] -= piece_share[q];
      alloc[best].push_back(q);
      remove_unassigned(q);
    }
    for (auto& a : alloc) std::sort(a.begin(), a.end());
    return true;
  }

  // Whole layers: a stage keeps a layer when it holds a majority (4 of 7) of its pieces. Remaining share is
  // recomputed from the original shares and the whole layers.
  void to_layers(const std::vector<double>& original_share) {
    for (int s = 0; s < stages; ++s) {
      std::vector<int> layers;
      const auto& a = alloc[s];
      for (std::size_t i = 0; i < a.size();) {
        const int layer = a[i] / kPieces;
        std::size_t j = i;
        while (j < a.size() && a[j] / kPieces == layer) ++j;
        if (static_cast<double>(j - i) > kPieces / 2.0) layers.push_back(layer);
        i = j;
      }
      alloc[s] = std::move(layers);
    }
    for (int s = 0; s < stages; ++s) {
      if (alloc[s].empty()) {
        capacity[s] = original_share[s];
      } else {
        double used = 0;
        for (int l = alloc[s].front(); l <= alloc[s].back(); ++l) used += layer_share[l];
        capacity[s] = original_share[s] - used;
      }
    }
  }

  // Up to four rounds: the stage with the most remaining share takes the adjacent layer of its busier
  // neighbour; a round is kept only if it does not raise the largest remaining share.
  void nudge() {
    std::vector<double> trial_capacity = capacity;
    std::vector<std::vector<int>> trial = alloc;
    for (int round = 1;; ++round) {
      const int s = static_cast<int>(std::max_element(trial_capacity.begin(), trial_capacity.end()) -
                                     trial_capacity.begin());
      int near = -1;
      double near_value = std::numeric_limits<double>::infinity();
      if (s - 1 >= 0 && trial_capacity[s - 1] < near_value) {
        near = s - 1;
        near_value = trial_capacity[s - 1];
      }
      if (s + 1 < stages && trial_capacity[s + 1] < near_value) near = s + 1;
      if (near >= 0 && alloc[near].size() == 1) near = -1;
      if (near >= 0 && !trial[near].empty()) {
        int layer = 0;
        if (s > near) {
          layer = trial[near].back();
          trial[near].pop_back();
        } else {
          layer = trial[near].front();
          trial[near].erase(trial[near].begin());
        }
        trial[s].push_back(layer);
        std::sort(trial[s].begin(), trial[s].end());
        trial_capacity[s] -= layer_share[layer];
        trial_capacity[near] += layer_share[layer];
      }
      const double trial_max = *std::max_element(trial_capacity.begin(), trial_capacity.end());
      const double kept_max = *std::max_element(capacity.begin(), capacity.end());
      if (trial_max > kept_max || round > 3) break;
      alloc = trial;
      capacity = trial_capacity;
    }
  }
};

}  // namespace

std::optional<std::vector<int>> balance_layers(const std::vector<double>& stage_share,
                                               const std::vector<double>& layer_share) {
  PieceBalancer b(stage_share, layer_share);
  b.forward();
  b.backward();
  if (!b.leftovers()) return std::nullopt;
  b.to_layers(stage_share);
  b.nudge();
  std::vector<int> partition{0};
  for (const auto& a : b.alloc) partition.push_back(partition.back() + static_cast<int>(a.size()));
  return partition;
}

std::optional<std::vector<double>> shift_share_for_memory(const std::vector<double>& share,
                                                          const std::vector<double>& capacity,
                                                          const std::vector<double>& demand) {
  const std::size_t n = share.size();
  std::vector<double> adjusted(n);
  std::vector<double> room(n);
  double excess = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (capacity[i] > demand[i]) {
      adjusted[i] = share[i];
      room[i] = (share[i] * capacity[i] / demand[i]) - share[i];
    } else {
      room[i] = 0;
      adjusted[i] = share[i] * (capacity[i] / demand[i]) * 0.9;
      excess += (share[i] - adjusted[i]);
    }
  }
  double total_room = 0;
  for (double r : room) total_room += r;
  if (total_room < excess) return std::nullopt;
  std::vector<double> extra(n, 0.0);
  // Guard against a loop the reference could spin in forever (shares that stop moving).
  for (int rounds = 0; excess > 0.01; ++rounds) {
    if (rounds > 100000) return std::nullopt;
    double open_share = 0;
    for (std::size_t i = 0; i < n; ++i) open_share += room[i] > 0.001 ? share[i] : 0.0;
    if (!(open_share > 0)) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) {
      const double ratio = room[i] > 0.001 ? share[i] / open_share : 0.0;
      const double give = excess * ratio > room[i] ? room[i] : excess * ratio;
      extra[i] += give;
      room[i] -= give;
      excess -= give;
    }
  }
  for (std::size_t i = 0; i < n; ++i) adjusted[i] = extra[i] + adjusted[i];
  return adjusted;
}

}  // namespace hetplan::internal

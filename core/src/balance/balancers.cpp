#include "balance/balancers.hpp"

#include "balance/layer_balancer.hpp"
#include "util/same_bits.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
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
  std::vector<int> share;
  SplitScratch scratch;
  split_batch(speed.data(), speed.size(), batch, share, scratch);
  return share;
}

namespace {

// The remainder of a split handed out one by one to the largest fractions, ties in group order, when the
// fractions take only a few distinct values (groups of one type run at one speed, so mixed stages have one
// or two): value by value, largest first, each value's groups in order. That is the order the sort by
// (fraction, group) gives, without sorting. False, with nothing handed out, when there are more values.
bool remainder_by_few_fractions(const double* frac, std::size_t n, long remainder, std::vector<int>& share) {
  constexpr std::size_t kFew = 4;
  std::array<double, kFew> values{};
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // Equal as the sort's comparison sees them (== also joins 0 and -0).
    if (std::find(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(count), frac[i]) !=
        values.begin() + static_cast<std::ptrdiff_t>(count)) {
      continue;
    }
    if (count == kFew) return false;
    values[count++] = frac[i];
  }
  // Largest first, by insertion: at most kFew values.
  for (std::size_t k = 1; k < count; ++k) {
    for (std::size_t j = k; j > 0 && values[j - 1] < values[j]; --j) std::swap(values[j - 1], values[j]);
  }
  for (std::size_t k = 0; k < count; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      if (frac[i] != values[k]) continue;
      share[i] += 1;
      if (--remainder == 0) return true;
    }
  }
  return true;
}

}  // namespace

void split_batch(const double* speed, std::size_t n, int batch, std::vector<int>& share,
                 SplitScratch& scratch) {
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += speed[i];
  share.resize(n);
  auto& frac = scratch.frac;
  frac.resize(n);
  long assigned = 0;
  bool ordered = true;  // no NaN among the fractions
  // Groups of one type have the same speed, and come in runs: a speed with the bits of the one before gives
  // the same share and fraction, without the division. The run's pair stays in registers: read back from
  // the arrays, each group would wait for the previous group's stores.
  int run_share = 0;
  double run_frac = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i == 0 || !same_bits(speed[i], speed[i - 1])) {
      const double exact = static_cast<double>(batch) * (speed[i] / total);
      run_share = static_cast<int>(exact);
      run_frac = exact - static_cast<double>(run_share);
      ordered = ordered && !std::isnan(run_frac);
    }
    share[i] = run_share;
    frac[i] = run_frac;
    assigned += run_share;
  }
  const long remainder = std::min<long>(batch - assigned, static_cast<long>(n));
  if (remainder <= 0) return;
  if (ordered && remainder_by_few_fractions(frac.data(), n, remainder, share)) return;
  auto& order = scratch.order;
  order.resize(n);
  std::iota(order.begin(), order.end(), 0);
  if (ordered) {
    // Largest fractions first, ties in group order: the stable sort's order, without its temporary buffer.
    const auto middle = order.begin() + remainder;
    std::partial_sort(order.begin(), middle, order.end(), [&](std::size_t a, std::size_t b) {
      return frac[a] > frac[b] || (!(frac[b] > frac[a]) && a < b);
    });
  } else {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return frac[a] > frac[b]; });
  }
  for (long i = 0; i < remainder; ++i) share[order[static_cast<std::size_t>(i)]] += 1;
}

std::optional<std::vector<int>> balance_layers(const std::vector<double>& stage_share,
                                               const std::vector<double>& layer_share) {
  LayerBalancer b(layer_share);
  std::vector<int> partition;
  if (!b.balance(stage_share.data(), static_cast<int>(stage_share.size()), partition)) return std::nullopt;
  return partition;
}

std::optional<std::vector<double>> shift_share_for_memory(const std::vector<double>& share,
                                                          const std::vector<double>& capacity,
                                                          const std::vector<double>& demand) {
  std::vector<double> adjusted;
  std::vector<double> room;
  std::vector<double> extra;
  if (!shift_share_for_memory(share, capacity, demand, adjusted, room, extra)) return std::nullopt;
  return adjusted;
}

bool shift_share_for_memory(const std::vector<double>& share, const std::vector<double>& capacity,
                            const std::vector<double>& demand, std::vector<double>& adjusted,
                            std::vector<double>& room, std::vector<double>& extra) {
  const std::size_t n = share.size();
  adjusted.resize(n);
  room.resize(n);
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
  if (total_room < excess) return false;
  extra.assign(n, 0.0);
  // Guard against a loop the reference could spin in forever (shares that stop moving).
  for (int rounds = 0; excess > 0.01; ++rounds) {
    if (rounds > 100000) return false;
    double open_share = 0;
    for (std::size_t i = 0; i < n; ++i) open_share += room[i] > 0.001 ? share[i] : 0.0;
    if (!(open_share > 0)) return false;
    for (std::size_t i = 0; i < n; ++i) {
      const double ratio = room[i] > 0.001 ? share[i] / open_share : 0.0;
      const double give = excess * ratio > room[i] ? room[i] : excess * ratio;
      extra[i] += give;
      room[i] -= give;
      excess -= give;
    }
  }
  for (std::size_t i = 0; i < n; ++i) adjusted[i] = extra[i] + adjusted[i];
  return true;
}

}  // namespace hetplan::internal

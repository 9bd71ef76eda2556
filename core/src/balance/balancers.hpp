// Load balancers: data (micro-batch split across data-parallel groups of mixed types) and layers (layer split
// across pipeline stages by compute share, then by memory).
#pragma once

#include <bit>
#include <cstddef>
#include <optional>
#include <vector>

namespace hetplan::internal {

// Splits `batch` samples over groups in proportion to `speed` (1 / time of each group): truncated shares,
// then the remainder one by one to the largest fractional parts (ties in group order).
std::vector<int> split_batch(const std::vector<double>& speed, int batch);

// Buffers of split_batch, kept by callers that split often.
struct SplitScratch {
  std::vector<double> frac;
  std::vector<std::size_t> order;
};

// The same split of speed[0..n) into `share`, allocating nothing once the buffers have grown.
void split_batch(const double* speed, std::size_t n, int batch, std::vector<int>& share,
                 SplitScratch& scratch);

// Stage compute shares -> layer partition [0, e1, e2, ..., eS]. Each layer is split into 7 pieces, pieces are
// assigned greedily forward, then backward into the last stage, leftovers to the best nearby stage, then
// mapped back to whole layers by majority and nudged between neighbours. `layer_share` is each layer's share
// of the model's time (sums to 1). Returns nullopt when no stage fits a leftover piece (the reference fails
// there).
std::optional<std::vector<int>> balance_layers(const std::vector<double>& stage_share,
                                               const std::vector<double>& layer_share);

// After an out-of-memory estimate: lowers the share of stages short of memory and hands the excess to stages
// with room, in proportion to their shares. nullopt when the stages with room cannot absorb it.
std::optional<std::vector<double>> shift_share_for_memory(const std::vector<double>& share,
                                                          const std::vector<double>& capacity,
                                                          const std::vector<double>& demand);

// Same as shift_share_for_memory, into `adjusted` (not aliasing `share`) with `room` and `extra` as scratch,
// so a caller that keeps the buffers allocates nothing. Returns false where it returns nullopt.
bool shift_share_for_memory(const std::vector<double>& share, const std::vector<double>& capacity,
                            const std::vector<double>& demand, std::vector<double>& adjusted,
                            std::vector<double>& room, std::vector<double>& extra);

// Powers of two that sum to n, largest first (the profiled batch slices a micro-batch is split into).
std::vector<int> power_of_two_slices(int n);

// Calls fn(slice) for each of power_of_two_slices(n), in the same order, without building the list.
template <class Fn>
void for_each_power_of_two_slice(int n, Fn&& fn) {
  // Set bit by set bit, highest first: a share of a few samples takes a step or two, not 31.
  for (auto rest = static_cast<unsigned>(n) & 0x7FFFFFFFU; rest != 0;) {
    const int bit = std::bit_width(rest) - 1;
    rest &= ~(1U << static_cast<unsigned>(bit));
    fn(1 << bit);
  }
}

}  // namespace hetplan::internal

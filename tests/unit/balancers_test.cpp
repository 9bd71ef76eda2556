// Load balancers. Expected partitions and shares were produced by the reference planner for the same inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "balance/balancers.hpp"
#include "balance/layer_balancer.hpp"

namespace hetplan::internal {
namespace {

std::vector<double> normalised(const std::vector<double>& v) {
  double total = 0;
  for (double x : v) total += x;
  std::vector<double> out;
  for (double x : v) out.push_back(x / total);
  return out;
}

TEST(SplitBatch, TruncatesThenHandsOutTheRemainderByFraction) {
  EXPECT_EQ(split_batch({1.0, 1.0}, 5), (std::vector<int>{3, 2}));  // equal fractions: first group first
  EXPECT_EQ(split_batch({3.0, 1.0}, 10), (std::vector<int>{8, 2}));
  EXPECT_EQ(split_batch({1.0, 2.0, 1.0}, 8), (std::vector<int>{2, 4, 2}));
  EXPECT_EQ(split_batch({1.0, 1.0, 1.0}, 2), (std::vector<int>{1, 1, 0}));
}

// The split as the reference makes it: truncated shares, then the remainder to the groups in a stable sort by
// fraction, largest first.
std::vector<int> split_by_stable_sort(const std::vector<double>& speed, int batch) {
  double total = 0;
  for (double s : speed) total += s;
  std::vector<int> share;
  std::vector<double> frac;
  long assigned = 0;
  for (double s : speed) {
    const double exact = static_cast<double>(batch) * (s / total);
    share.push_back(static_cast<int>(exact));
    frac.push_back(exact - static_cast<double>(share.back()));
    assigned += share.back();
  }
  std::vector<std::size_t> order(speed.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return frac[a] > frac[b]; });
  const long remainder = std::min<long>(batch - assigned, static_cast<long>(speed.size()));
  for (long i = 0; i < remainder; ++i) share[order[static_cast<std::size_t>(i)]] += 1;
  return share;
}

// Groups of one to six speeds (few distinct fractions, handed out value by value, and many, sorted) in any
// order, with a scratch reused from call to call.
TEST(SplitBatch, HandsOutTheRemainderAsAStableSortByFractionDoes) {
  std::mt19937 gen(7);
  std::uniform_int_distribution<int> kinds(1, 6);
  std::uniform_int_distribution<int> groups(1, 40);
  std::uniform_int_distribution<int> batch(1, 300);
  std::uniform_real_distribution<double> speed(0.01, 3.0);
  SplitScratch scratch;
  std::vector<int> share;
  for (int trial = 0; trial < 20000; ++trial) {
    std::vector<double> values(static_cast<std::size_t>(kinds(gen)));
    for (double& v : values) v = speed(gen);
    std::uniform_int_distribution<std::size_t> pick(0, values.size() - 1);
    std::vector<double> speeds(static_cast<std::size_t>(groups(gen)));
    for (double& s : speeds) s = values[pick(gen)];
    const int b = batch(gen);
    split_batch(speeds.data(), speeds.size(), b, share, scratch);
    ASSERT_EQ(share, split_by_stable_sort(speeds, b)) << "trial " << trial;
  }
}

TEST(PowerOfTwoSlices, LargestFirst) {
  EXPECT_EQ(power_of_two_slices(13), (std::vector<int>{8, 4, 1}));
  EXPECT_EQ(power_of_two_slices(16), (std::vector<int>{16}));
  EXPECT_TRUE(power_of_two_slices(0).empty());
}

TEST(BalanceLayers, MatchesTheReferenceOnTenSyntheticLayers) {
  const auto layers = normalised(
      {0.2892017364501953, 29.507994651794434, 29.507994651794434, 29.507994651794434, 29.507994651794434,
       29.507994651794434, 29.507994651794434, 29.507994651794434, 29.507994651794434, 0.4100799560546875});
  EXPECT_EQ(balance_layers({1.0}, layers), (std::vector<int>{0, 10}));
  EXPECT_EQ(balance_layers({0.5, 0.5}, layers), (std::vector<int>{0, 5, 10}));
  EXPECT_EQ(balance_layers({0.7, 0.3}, layers), (std::vector<int>{0, 7, 10}));
  EXPECT_EQ(balance_layers({0.2, 0.3, 0.5}, layers), (std::vector<int>{0, 3, 5, 10}));
  EXPECT_EQ(balance_layers({0.1, 0.1, 0.1, 0.7}, layers), (std::vector<int>{0, 2, 3, 4, 10}));
  EXPECT_EQ(balance_layers({0.25, 0.25, 0.25, 0.25}, layers), (std::vector<int>{0, 3, 5, 7, 10}));
}

TEST(BalanceLayers, MatchesTheReferenceOnUnevenLayers) {
  const auto layers = normalised({1, 2, 3, 4, 5});
  EXPECT_EQ(balance_layers({0.5, 0.5}, layers), (std::vector<int>{0, 3, 5}));
  EXPECT_EQ(balance_layers({0.9, 0.1}, layers), (std::vector<int>{0, 4, 5}));
  EXPECT_EQ(balance_layers({0.34, 0.33, 0.33}, layers), (std::vector<int>{0, 3, 4, 5}));
}

// A balancer kept across calls remembers its last answers: shares seen a few calls ago (and shares that
// differ from them only in the last bit, or in the sign of a zero) must get the answer a fresh balancer
// gives.
TEST(LayerBalancer, KeptAcrossCallsAnswersAsAFreshOne) {
  const auto layers = normalised({1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3, 4});
  const std::vector<std::vector<double>> shares = {
      {0.5, 0.5},           {0.25, 0.25, 0.5}, {0.5, std::nextafter(0.5, 1.0)},
      {0.1, 0.2, 0.3, 0.4}, {0.0, 0.5, 0.5},   {-0.0, 0.5, 0.5},
      {0.9, 0.1},           {0.2, 0.3, 0.5},
  };
  LayerBalancer kept(layers);
  std::vector<int> partition;
  // Each input twice in a row, then the whole list again (beyond the few remembered calls).
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& share : shares) {
      for (int again = 0; again < 2; ++again) {
        const auto fresh = balance_layers(share, layers);
        const bool ok = kept.balance(share.data(), static_cast<int>(share.size()), partition);
        ASSERT_EQ(ok, fresh.has_value());
        if (ok) {
          EXPECT_EQ(partition, *fresh);
        }
      }
    }
  }
}

TEST(ShiftShareForMemory, MovesShareToStagesWithRoom) {
  EXPECT_EQ(shift_share_for_memory({0.5, 0.5}, {1000, 1000}, {1500, 400}), (std::vector<double>{0.3, 0.7}));
  EXPECT_EQ(shift_share_for_memory({0.3, 0.3, 0.4}, {1000, 2000, 500}, {1200, 900, 600}),
            (std::vector<double>{0.225, 0.475, 0.30000000000000004}));
}

TEST(ShiftShareForMemory, GivesUpWhenTheRoomIsTooSmall) {
  EXPECT_FALSE(shift_share_for_memory({0.5, 0.5}, {1000, 1000}, {1500, 1400}).has_value());
}

}  // namespace
}  // namespace hetplan::internal

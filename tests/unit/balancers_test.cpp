// Load balancers. Expected partitions and shares were produced by the reference planner for the same inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hetplan/internal/balancers.hpp"
#include "hetplan/internal/layer_balancer.hpp"

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

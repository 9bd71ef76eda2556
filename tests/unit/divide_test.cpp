// divide() takes a shift for power-of-two divisors: it must give n / d for every n and d, those included.
#include <gtest/gtest.h>

#include <climits>

#include "util/divide.hpp"

namespace hetplan::internal {
namespace {

TEST(Divide, GivesTheQuotientOfIntegerDivision) {
  for (int d = 1; d <= 130; ++d) {
    for (int n = -300; n <= 300; ++n) ASSERT_EQ(divide(n, d), n / d) << n << " / " << d;
  }
  for (const int d : {1, 2, 3, 64, 1 << 30, INT_MAX}) {
    for (const int n : {INT_MIN + 1, -1, 0, 1, 127, 128, INT_MAX})
      EXPECT_EQ(divide(n, d), n / d) << n << " / " << d;
  }
  EXPECT_EQ(divide(-7, -2), 3);  // a negative divisor divides, as / does
}

}  // namespace
}  // namespace hetplan::internal

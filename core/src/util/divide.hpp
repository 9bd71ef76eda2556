// Integer division by a data-parallel degree, which in the search's plans is a power of two.
#pragma once

#include <bit>

namespace hetplan::internal {

// n / d (d > 0), as a shift when n >= 0 and d is a power of two: the cost and the stage figures divide a
// batch by every stage's degree, and a division would delay the table lookups that wait on the quotient.
inline int divide(int n, int d) {
  const auto u = static_cast<unsigned>(d);
  // (u & (u - 1)) == 0 rather than std::has_single_bit, which without -mpopcnt calls a library popcount.
  return n >= 0 && u != 0 && (u & (u - 1)) == 0 ? n >> std::countr_zero(u) : n / d;
}

}  // namespace hetplan::internal

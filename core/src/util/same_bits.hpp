// Comparing doubles bit for bit, for answers kept from an earlier input: == would take 0 for -0 (whose
// results can differ in sign) and never match a NaN with itself.
#pragma once

#include <cstdint>
#include <cstring>

namespace hetplan::internal {

// memcpy rather than std::bit_cast, which Emscripten 3.1.6's C++ library lacks.
inline bool same_bits(double a, double b) {
  std::uint64_t x = 0;
  std::uint64_t y = 0;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  return x == y;
}

}  // namespace hetplan::internal

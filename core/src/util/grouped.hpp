// A count as people read it, its digits in groups of three ("1,714,619"): every count the core writes into
// a sentence, and the faces' tables through format_count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace hetplan::internal {

inline std::string grouped(std::int64_t n) {
  const std::string digits = std::to_string(n);
  const std::size_t sign = n < 0 ? 1 : 0;
  std::string out = digits.substr(0, sign);
  for (std::size_t i = sign; i < digits.size(); ++i) {
    if (i > sign && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace hetplan::internal

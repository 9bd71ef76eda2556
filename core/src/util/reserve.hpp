// Buffers that a search's objects size once, for the largest plan of the case: as the stage count rises plan
// after plan, buffers left to grow would be reallocated each time.
#pragma once

#include <cstddef>

namespace hetplan::internal {

template <class... Vectors>
void reserve_each(std::size_t n, Vectors&... v) {
  (v.reserve(n), ...);
}

}  // namespace hetplan::internal

// Decides when a progress event is worth sending: crossing into the page costs a JS call and a postMessage,
// and the search calls back after every inter-stage plan, far more often than a display refreshes.
//
// An event is due when the interval has passed or when the search has finished another slice of its
// inter-stage plans (1/slices of them). The time rule keeps long runs at a steady rate; the slice rule gives
// short runs (tens of milliseconds) a handful of intermediate values instead of a jump from 0 to the end.
#pragma once

#include <cstdint>

namespace hetplan::wasm {

class Throttle {
 public:
  Throttle(double interval_ms, int slices, std::int64_t total)
      : interval_ms_(interval_ms), slice_(slices > 0 && total > 0 ? (total + slices - 1) / slices : 0) {}

  // True on the first call, then when the interval has passed or `done` reached the next slice boundary.
  bool due(double now_ms, std::int64_t done) {
    const bool first = !started_;
    const bool time_up = now_ms - last_ms_ >= interval_ms_;
    const bool slice_done = slice_ > 0 && done >= next_mark_;
    if (!first && !time_up && !slice_done) return false;
    started_ = true;
    last_ms_ = now_ms;
    if (slice_ > 0) next_mark_ = (done / slice_ + 1) * slice_;
    return true;
  }

 private:
  double interval_ms_;
  std::int64_t slice_;
  std::int64_t next_mark_ = 0;
  double last_ms_ = 0;
  bool started_ = false;
};

}  // namespace hetplan::wasm

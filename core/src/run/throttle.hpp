// Decides when a progress event is worth sending: crossing into the page costs a JS call and a postMessage,
// and the search calls back after every inter-stage plan, far more often than a display refreshes.
//
// An event is due when the interval has passed or when the search has finished another slice of its
// inter-stage plans (1/slices of them). The time rule keeps long runs at a steady rate; the slice rule gives
// short runs (tens of milliseconds) a handful of intermediate values instead of a jump from 0 to the end.
// A slice counts only when min_gap has passed since the last event: in a browser an event costs tens of
// microseconds (the call into JavaScript and the worker's postMessage), so sixteen of them on a search of a
// millisecond doubled its time, for values no display could show apart.
#pragma once

#include <cstdint>

namespace hetplan::internal {

class Throttle {
 public:
  Throttle(double interval_ms, int slices, double min_gap_ms, int clock_stride, std::int64_t total)
      : interval_ms_(interval_ms),
        min_gap_ms_(min_gap_ms),
        slice_(slices > 0 && total > 0 ? (total + slices - 1) / slices : 0),
        clock_stride_(clock_stride < 1 ? 1 : clock_stride) {}

  // True on the first call, then when the interval has passed or `done` reached the next slice boundary.
  // now() gives the time in ms. The search calls after every inter-stage plan (a few microseconds apart);
  // where reading the clock is dear (in the browser it crosses into JavaScript, which on small searches
  // weighed as much as the search) it is read on the first call, at slice boundaries and on every
  // clock_stride-th call.
  template <class Now>
  bool due(const Now& now, std::int64_t done) {
    const bool first = !started_;
    const bool slice_done = slice_ > 0 && done >= next_mark_;
    if (!first && !slice_done && ++calls_since_clock_ < clock_stride_) return false;
    calls_since_clock_ = 0;
    const double now_ms = now();
    const bool time_up = now_ms - last_ms_ >= interval_ms_;
    const bool slice_due = slice_done && now_ms - last_ms_ >= min_gap_ms_;
    // A boundary reached too soon after the last event is passed over, not kept for later: kept, it would
    // make every following call read the clock.
    if (slice_done) next_mark_ = (done / slice_ + 1) * slice_;
    if (!first && !time_up && !slice_due) return false;
    started_ = true;
    last_ms_ = now_ms;
    if (slice_ > 0) next_mark_ = (done / slice_ + 1) * slice_;
    return true;
  }

 private:
  double interval_ms_;
  double min_gap_ms_;
  std::int64_t slice_;
  std::int64_t next_mark_ = 0;
  double last_ms_ = 0;
  bool started_ = false;
  int clock_stride_;
  int calls_since_clock_ = 0;
};

}  // namespace hetplan::internal

#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "hetplan/run.hpp"

namespace hetplan::cli {

namespace {

constexpr double kQuietSeconds = 1.0;

}  // namespace

bool stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

void ProgressLine::show(const std::string& label, const SearchProgress& p, double elapsed_s) {
  if (!enabled_ || elapsed_s <= kQuietSeconds) return;
  const double pct = p.inter_total > 0
                         ? 100.0 * static_cast<double>(p.inter_done) / static_cast<double>(p.inter_total)
                         : 0.0;
  char best[64] = "-";
  if (p.has_best) std::snprintf(best, sizeof best, "%.3f", p.best_cost);
  char line[512];
  const int n =
      std::snprintf(line, sizeof line, "%s  steps %s  plans %s/%s (%.1f%%)  %.1f s  best %s", label.c_str(),
                    format_count(p.steps).c_str(), format_count(p.inter_done).c_str(),
                    format_count(p.inter_total).c_str(), pct, elapsed_s, best);
  if (n <= 0) return;
  const std::size_t width = std::min(static_cast<std::size_t>(n), sizeof line - 1);
  // Pad with blanks over what a longer previous line left behind.
  const std::size_t pad = drawn_width_ > width ? drawn_width_ - width : 0;
  std::fprintf(stderr, "\r%s%*s", line, static_cast<int>(pad), "");
  std::fflush(stderr);
  drawn_width_ = std::max(drawn_width_, width);
}

void ProgressLine::clear() {
  if (drawn_width_ == 0) return;
  std::fprintf(stderr, "\r%*s\r", static_cast<int>(drawn_width_), "");
  std::fflush(stderr);
  drawn_width_ = 0;
}

}  // namespace hetplan::cli

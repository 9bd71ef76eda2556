#include "search_size.hpp"

#include <cmath>

#include "report.hpp"

namespace hetplan::cli {

namespace {

// Counting stops past 10^12 plans: the figure is then a lower bound.
constexpr std::int64_t kCountCap = 1'000'000'000'000;

std::string threads_text(int threads) {
  return std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

std::string how_estimated() {
  return "estimated at " + std::to_string(static_cast<int>(kMicrosecondsPerInterPlan)) +
         " microseconds per inter-stage plan and thread, the rate of row 4 of the published table; see "
         "docs/performance.md";
}

std::string plural(std::int64_t n, const char* unit) {
  return "about " + format_count(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

std::string plans_count_text(std::int64_t inter_plans) {
  return (inter_plans >= kCountCap ? "at least " : "") + format_count(inter_plans);
}

double estimated_seconds(std::int64_t inter_plans, int threads) {
  return static_cast<double>(inter_plans) * kMicrosecondsPerInterPlan * 1e-6 / (threads < 1 ? 1 : threads);
}

std::string about_duration(double seconds) {
  const auto round = [](double v) { return static_cast<std::int64_t>(std::llround(v)); };
  if (seconds < 1) return "under a second";
  if (seconds < 90) return plural(round(seconds), "second");
  if (seconds < 90 * 60) return plural(round(seconds / 60), "minute");
  if (seconds < 36 * 3600) return plural(round(seconds / 3600), "hour");
  if (seconds < 365 * 86400.0) return plural(round(seconds / 86400), "day");
  return plural(round(seconds / (365.25 * 86400)), "year");
}

Error over_limit_error(const Error& core, int threads) {
  Error e = core;
  e.message =
      "this case has " + plans_count_text(core.inter_plans) + " inter-stage plans, more than the limit of " +
      format_count(core.limit) + " (--max-inter-plans); searching them would take " +
      about_duration(estimated_seconds(core.inter_plans, threads)) + " on " + threads_text(threads) + " (" +
      how_estimated() + "). To run it, add --max-inter-plans " + std::to_string(core.inter_plans) +
      "; or lower the GPU count, the number of layers or the scale variance";
  return e;
}

std::optional<Error> longer_than_a_day(std::int64_t inter_plans, int threads) {
  const double seconds = estimated_seconds(inter_plans, threads);
  if (seconds <= kLongestSearchSeconds) return std::nullopt;
  return Error{"this case has " + plans_count_text(inter_plans) +
                   " inter-stage plans: searching them would take " + about_duration(seconds) + " on " +
                   threads_text(threads) + " (" + how_estimated() +
                   "). hetplan refuses searches estimated to take more than a day; lower the GPU count, the "
                   "number of layers or the scale variance",
               ErrorKind::kTooLarge, inter_plans, 0};
}

}  // namespace hetplan::cli

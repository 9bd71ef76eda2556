// How long a metis or pruned search would take, estimated before it starts from its count of inter-stage
// plans, and the refusals of searches too large to run.
#include "run/search_size.hpp"

#include <cmath>

#include "hetplan/run.hpp"
#include "util/grouped.hpp"

namespace hetplan {

namespace {

// count_inter_stage_plans stops past 10^12 plans: the figure is then a lower bound.
constexpr std::int64_t kCountCap = 1'000'000'000'000;

std::string workers_text(int workers) {
  return std::to_string(workers) + (workers == 1 ? " thread" : " threads");
}

std::string how_estimated() {
  return "estimated at " + std::to_string(static_cast<int>(kMicrosecondsPerInterPlan)) +
         " microseconds per inter-stage plan and thread, the rate of row 4 of the published table; see "
         "docs/performance.md";
}

std::string plural(std::int64_t n, const char* unit) {
  return "about " + format_count(n) + " " + unit + (n == 1 ? "" : "s");
}

constexpr const char* kHowToShrink =
    "lower the GPU count or the number of layers, or raise the scale variance";

}  // namespace

std::string format_count(std::int64_t n) {
  return internal::grouped(n);
}

std::string plans_count_text(std::int64_t inter_plans) {
  return (inter_plans >= kCountCap ? "at least " : "") + format_count(inter_plans);
}

double estimated_seconds(std::int64_t inter_plans, int workers) {
  return static_cast<double>(inter_plans) * kMicrosecondsPerInterPlan * 1e-6 / (workers < 1 ? 1 : workers);
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

namespace internal {

std::optional<Error> refuse_by_size(std::int64_t inter_plans, int workers, int cores, std::int64_t limit,
                                    const std::string& limit_option) {
  const bool capped = cores > 0 && workers > cores;
  const double seconds = estimated_seconds(inter_plans, capped ? cores : workers);
  const std::string on =
      capped ? workers_text(workers) + ", " + std::to_string(cores) + " at a time on this machine"
             : workers_text(workers);
  const std::string takes = about_duration(seconds) + " on " + on + " (" + how_estimated() + ")";
  if (seconds > kLongestSearchSeconds) {
    Error e{"this case has " + plans_count_text(inter_plans) +
                " inter-stage plans: searching them would take " + takes +
                ". hetplan refuses searches estimated to take more than a day; " + kHowToShrink,
            ErrorKind::kTooLarge, inter_plans, 0};
    e.estimated_seconds = seconds;
    return e;
  }
  if (inter_plans <= limit) return std::nullopt;
  // A command-line option is added as it is; the page's field is set.
  const std::string confirm = limit_option.rfind("--", 0) == 0
                                  ? "add " + limit_option + " " + std::to_string(inter_plans)
                                  : "set " + limit_option + " to " + std::to_string(inter_plans);
  Error e{"this case has " + plans_count_text(inter_plans) + " inter-stage plans, more than the limit of " +
              format_count(limit) + " (" + limit_option + "); searching them would take " + takes +
              ". To run it, " + confirm + "; or " + kHowToShrink,
          ErrorKind::kTooLarge, inter_plans, limit};
  e.estimated_seconds = seconds;
  return e;
}

}  // namespace internal

}  // namespace hetplan

// How long a metis or pruned search would take, estimated before it starts from its count of inter-stage
// plans, and the refusals of searches too large to run.
#include "run/search_size.hpp"

#include <algorithm>
#include <cmath>

#include "hetplan/run.hpp"
#include "util/grouped.hpp"

namespace hetplan {

namespace {

// count_inter_stage_plans stops past 10^12 plans: the figure is then a lower bound.
constexpr std::int64_t kCountCap = 1'000'000'000'000;

std::string workers_text(int workers, const std::string& name) {
  return std::to_string(workers) + " " + name + (workers == 1 ? "" : "s");
}

std::string how_estimated(const RunOptions& o) {
  return "estimated at " + std::to_string(static_cast<int>(std::lround(o.microseconds_per_inter_plan))) +
         " microseconds per inter-stage plan and " + o.worker_name +
         ", the rate of row 4 of the published table in this build; see docs/performance.md";
}

// Where the search would run: "2 threads", "4 threads, 2 at a time on this machine", "2 threads in each of
// 3 shards"; a face whose workers are its shards (the page) counts them all: "4 workers".
std::string where_run(int workers, bool capped, const RunOptions& o) {
  const int shards = std::max(1, o.shard_count);
  if (shards > 1 && o.shards_are_workers) return workers_text(workers * shards, o.worker_name);
  std::string on = workers_text(workers, o.worker_name);
  if (capped) on += ", " + std::to_string(o.cores) + " at a time on this machine";
  if (shards > 1) on += " in each of " + std::to_string(shards) + " shards";
  return on;
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

double estimated_seconds(std::int64_t inter_plans, int workers, double microseconds_per_inter_plan) {
  return static_cast<double>(inter_plans) * microseconds_per_inter_plan * 1e-6 / (workers < 1 ? 1 : workers);
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

std::optional<Error> refuse_by_size(std::int64_t inter_plans, int workers, const RunOptions& o) {
  const bool capped = o.cores > 0 && workers > o.cores;
  const int shards = std::max(1, o.shard_count);
  const double seconds =
      estimated_seconds(inter_plans, (capped ? o.cores : workers) * shards, o.microseconds_per_inter_plan);
  const std::string takes =
      about_duration(seconds) + " on " + where_run(workers, capped, o) + " (" + how_estimated(o) + ")";
  if (seconds > kLongestSearchSeconds) {
    Error e{"this case has " + plans_count_text(inter_plans) +
                " inter-stage plans: searching them would take " + takes +
                ". hetplan refuses searches estimated to take more than a day; " + kHowToShrink,
            ErrorKind::kTooLarge, inter_plans, 0};
    e.estimated_seconds = seconds;
    return e;
  }
  const std::int64_t limit = o.max_inter_plans;
  if (inter_plans <= limit) return std::nullopt;
  // A command-line option is added as it is, an option of the JSON API set; a face that asks its user
  // confirms with its own words after this message.
  const std::string& option = o.limit_option;
  const std::string confirm =
      option.empty() ? "To make it smaller, "
      : option.rfind("--", 0) == 0
          ? "To run it, add " + option + " " + std::to_string(inter_plans) + "; or "
          : "To run it, set " + option + " to " + std::to_string(inter_plans) + "; or ";
  Error e{"this case has " + plans_count_text(inter_plans) + " inter-stage plans, more than the limit of " +
              format_count(limit) + (option.empty() ? "" : " (" + option + ")") +
              "; searching them would take " + takes + ". " + confirm + kHowToShrink,
          ErrorKind::kTooLarge, inter_plans, limit};
  e.estimated_seconds = seconds;
  return e;
}

}  // namespace internal

}  // namespace hetplan

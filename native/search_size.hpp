// How long a metis or pruned search would take, estimated before it starts from its count of inter-stage
// plans, and the messages that refuse one too large to run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hetplan/outcome.hpp"

namespace hetplan::cli {

// Time of one inter-stage plan on one thread: row 4 of the published table, the slowest per plan of its four
// rows (40 layers, 256 GPUs: 66,480 plans in about 0.20 s for metis on one core of this project's machines;
// docs/performance.md, "Estimated times"). Cases with more layers or GPUs take longer per plan.
inline constexpr double kMicrosecondsPerInterPlan = 3.0;

// Searches estimated to take longer than this are refused whatever the limit.
inline constexpr double kLongestSearchSeconds = 24 * 3600.0;

double estimated_seconds(std::int64_t inter_plans, int threads);

// "66,480", or "at least 1,000,000,000,000" where count_inter_stage_plans stopped counting.
std::string plans_count_text(std::int64_t inter_plans);

// "about 15 seconds", "about 3 hours", "about 41 years": rounded to what an estimate can claim.
std::string about_duration(double seconds);

// The refusal of a case over the --max-inter-plans limit (the core's kTooLarge error), with the time it
// would take and the option that confirms it.
Error over_limit_error(const Error& core, int threads);

// The refusal of a case estimated to take more than a day (nullopt when it takes less).
std::optional<Error> longer_than_a_day(std::int64_t inter_plans, int threads);

}  // namespace hetplan::cli

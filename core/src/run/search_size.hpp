// The refusal of a metis or pruned search too large to run, before it starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hetplan/outcome.hpp"

namespace hetplan::internal {

// An error of kind kTooLarge when the search is estimated to take more than a day on `workers` (no more than
// `cores` of them at once when cores > 0; whatever the limit: limit 0 in the error), or has more inter-stage
// plans than `limit`; the message gives the estimate and, for the limit, how to confirm by `limit_option`.
std::optional<Error> refuse_by_size(std::int64_t inter_plans, int workers, int cores, std::int64_t limit,
                                    const std::string& limit_option);

}  // namespace hetplan::internal

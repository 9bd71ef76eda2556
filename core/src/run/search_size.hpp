// The refusal of a metis or pruned search too large to run, before it starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hetplan/outcome.hpp"
#include "hetplan/run.hpp"

namespace hetplan::internal {

// An error of kind kTooLarge when the search is estimated to take more than a day on `workers` in each of
// o.shard_count shards (no more than o.cores of them at once when cores > 0; whatever the limit: limit 0 in
// the error), or has more inter-stage plans than o.max_inter_plans; the message gives the estimate at the
// face's rate and, for the limit, how to confirm by o.limit_option.
std::optional<Error> refuse_by_size(std::int64_t inter_plans, int workers, const RunOptions& o);

}  // namespace hetplan::internal

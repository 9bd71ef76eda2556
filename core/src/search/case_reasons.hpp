// The reasons a case and a cost model explain before any search: no device group passes the filters, stage
// counts limited by a GPU count that is not a power of two, bounds past what the profiles cover, profiles the
// reference model cannot cost.
#pragma once

#include <vector>

#include "enumerate/inter_stage.hpp"
#include "hetplan/case.hpp"
#include "hetplan/search.hpp"

namespace hetplan::internal {

std::vector<Reason> case_reasons(const Case& c, CostModel model, const InterStageSpace& space);

// The largest scale variance at which some stage count from 1 to max_stages has a device group for
// num_gpus GPUs (a stage of s GPUs passes when s >= max(N / S, S / N) x variance, integer divisions); a
// negative number when none has one at any variance.
double largest_variance_with_groups(int num_gpus, int max_stages);

}  // namespace hetplan::internal

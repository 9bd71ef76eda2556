// The iteration-time estimate of one plan: pipeline execution, fb sync, parameter update, data-parallel and
// pipeline communication, batch generation.
#pragma once

#include <optional>

#include "hetplan/internal/context.hpp"
#include "hetplan/internal/inter_stage.hpp"
#include "hetplan/internal/intra_stage.hpp"
#include "hetplan/model.hpp"

namespace hetplan::internal {

// nullopt when the estimate needs a profile entry that does not exist (or, in `reference`, an fb_sync of 0).
std::optional<double> estimate_cost(const CaseTables& t, const NodeOrderTables& n, const InterStagePlan& plan,
                                    const IntraPlan& intra, CostModel model, MissingLog& log);

}  // namespace hetplan::internal

// The bounded strategies: the top K of metis (or pruned), searching only the inter-stage plans whose cost
// bound can beat the K-th best plan found so far, most promising first.
#pragma once

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/search.hpp"

namespace hetplan::internal {

Outcome<SearchResult> run_bounded_search(const Case& c, const SearchRequest& request,
                                         const ProgressFn& progress);

}  // namespace hetplan::internal

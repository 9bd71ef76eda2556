// Why a search found few or no plans, as sentences a user understands. The reasons the counts explain are
// worked out from a result's counters whenever it is shown, so that merged shards explain their sums.
#pragma once

#include <string>
#include <vector>

#include "hetplan/search.hpp"

namespace hetplan {

// Reasons the counters of r give (skipped candidates, uncosted plans, no plan found).
std::vector<Reason> outcome_reasons(const SearchResult& r);

// r.case_reasons, then outcome_reasons(r): what a face shows.
std::vector<Reason> all_reasons(const SearchResult& r);

// Whether a reason of this code comes from outcome_reasons (a reader of a result recomputes those).
bool is_outcome_reason(const std::string& code);

// The search ran to its end and its DFS returned no plan at all (costed or not).
bool found_no_plan(const SearchResult& r);

}  // namespace hetplan

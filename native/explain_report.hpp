// `plan --explain` and `plan --export`: one plan of a strategy's top explained as tables, or its launch
// configuration (the JSON result carries them through the run layer).
#pragma once

#include <ostream>
#include <string>

#include "hetplan/case.hpp"
#include "hetplan/export.hpp"
#include "hetplan/search.hpp"
#include "options.hpp"

namespace hetplan::cli {

// Checks the ranks against --top and the target's name before the search runs; an error message or "".
std::string check_plan_requests(const PlanOptions& o);

// Prints the explanation of plan `rank` (from 1) of the result; false when there is none (rank past the
// plans found, or an error, both said).
bool print_explanation(std::ostream& out, const Case& c, const SearchResult& r, int rank);

// Prints the export of plan `rank`: its files and notes, or the refusal. False when refused or missing.
bool print_export(std::ostream& out, const Case& c, const SearchResult& r, const PlanOptions& o);

}  // namespace hetplan::cli

// The JSON values behind the public text API (json_api.hpp): the run layer composes them into one document
// without printing and re-reading text.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hetplan/explain.hpp"
#include "hetplan/export.hpp"
#include "hetplan/json_api.hpp"

namespace hetplan::internal {

// The result object R of one strategy (result_json_text prints it).
nlohmann::ordered_json result_json(const SearchResult& r, double elapsed_ms);

// R read from a value; `path` is the JSON path of `j` in its document, for messages ("" at the top level).
Outcome<TimedResult> result_from_json_value(const nlohmann::ordered_json& j, const std::string& source,
                                            const std::string& path = "");

// One plan of R's "top" read back (its intra_index 0).
Outcome<PlanRecord> plan_from_json_value(const nlohmann::ordered_json& j, const std::string& source,
                                         const std::string& path = "");

// A plan's explanation (docs/explain.md): {"cost_model", "total_ms", "batches", "costed_stages",
// "bottleneck_stage", "terms": [{"key", "label", "ms", "stage"}], "stages": [...], "notes"}; stages from 1.
nlohmann::ordered_json explain_json(const PlanExplanation& e);
// An export: {"target", "refused", ("reason", "can_take" when refused), "files": [{"name", "text"}],
// "notes"}.
nlohmann::ordered_json export_json(const PlanExport& x);

nlohmann::ordered_json case_summary_json(const Case& c);

// Compact text; invalid UTF-8 replaced rather than thrown on (the WASM build has no exceptions).
std::string compact(const nlohmann::ordered_json& j);

}  // namespace hetplan::internal

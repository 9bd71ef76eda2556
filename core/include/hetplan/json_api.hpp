// The JSON-text face of the core, shared by the WASM bindings, the page and the CLI's --case-json.
//
// Case JSON (what the page exports and `hetplan plan --case-json` reads):
//   {"hostfile": "<hostfile text>", "clusterfile": {<clusterfile object>},
//    "profiles": {"DeviceType.A100_tp1_bs1.json": {<profile object>}, ...}      -- measured profiles, or
//    "synthetic": {"layers": L, "max_batch_size": B,
//                  "types": [{"name": "A100", "time_factor": 1}, {"name": "V100", "time_factor": 3.5}]},
//    "args": {<args.json fields>}}
// Synthetic spec JSON (the page's configuration form, turned into a case JSON by synthetic_case_json):
//   {"types": [{"name", "memory", "intra_bandwidth", "inter_bandwidth", "time_factor", "nodes",
//               "gpus_per_node"}, ...], "layers": L, "max_batch_size": B, "args": {<args.json fields>}}
#pragma once

#include <string>
#include <string_view>

#include "hetplan/case.hpp"
#include "hetplan/export.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/parse.hpp"
#include "hetplan/search.hpp"

namespace hetplan {

Outcome<Case> case_from_json(std::string_view text, const std::string& source);

// The synthetic block of a case JSON, or a case folder's synthetic.json: {"layers": L, "max_batch_size": B}
// and optionally "types": [{"name", "time_factor"}] (default A100 x1, V100 x3.5) -> the generated profile set
// (synth_profile_set), each profile named as a file in `folder`.
Outcome<ProfileSet> synthetic_profile_set_json(std::string_view text, const std::string& source,
                                               const std::string& folder);
Outcome<std::string> synthetic_case_json(std::string_view spec_text);

// Generated profiles have the layers of their spec: when the args ask for another count, the error names the
// two fields as the user wrote them ("case.json: synthetic: layers is 4, but args: num_layers is 6"), not the
// name of a generated profile file. `spec_source` and `args_source` are where the two fields live.
Outcome<ProfileSet> with_layers_of_args(Outcome<ProfileSet> set, const std::string& spec_source,
                                        const std::string& args_source, int num_layers);

// The result object R of `hetplan plan --json` for one strategy, as compact JSON text. Deterministic for
// equal input, apart from elapsed_ms. (A run of several strategies: run_report_json in run.hpp.)
std::string result_json_text(const SearchResult& r, double elapsed_ms);

// A result read back from its JSON: the inverse of result_json_text, so that shards searched elsewhere (the
// page's Web Workers, shard files) can be merged with merge_results and printed again, byte for byte what
// one run prints.
struct TimedResult {
  SearchResult result;
  double elapsed_ms = 0;
};

// result_json does not write a plan's intra_index; the reader numbers the plans by their position in "top".
// That keeps the order of plans of equal cost from the same inter-stage plan (the only order that needs it,
// and such plans always come from the same shard), so merge_results gives the order of one run.
Outcome<TimedResult> result_from_json(std::string_view text, const std::string& source);

// The export of one plan, given as R's "top" prints it (an "explain" key is read past), for `target`: the
// export's JSON text ({"target", "refused", "reason", "can_take", "files", "notes"}, as R's "export").
Outcome<std::string> export_plan_json(const Case& c, std::string_view plan_json, ExportTarget target,
                                      const ExportOptions& options, const std::string& source);

// A summary of a case (GPUs, types, layers, inter-stage plans, notes) as JSON text, for validation and size
// estimates.
std::string case_summary_json_text(const Case& c);

}  // namespace hetplan

// The JSON-text API of the WebAssembly module, free of Emscripten so that its logic reads (and could be
// tested) like any other C++: the clock and the progress sink come in as functions.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "hetplan/run.hpp"

namespace hetplan::wasm {

// The clock (milliseconds, monotonic) and where progress events go: what the page's live counters show, one
// event at most every progress interval, a first one before the search and a final one per strategy. In a
// sharded run every figure is this shard's, except inter_total: the whole search's.
using ClockFn = std::function<double()>;
// so_far: with an event after the top K changed, the run so far as JSON text (R or {"metis": R, ...}, marked
// cancelled, without explanations), else empty: what the page shows if it ends the run (merge_so_far).
using ProgressSink = std::function<void(const RunProgress&, std::string_view so_far)>;

// Each returns {"ok":true,...} or {"ok":false,"error":"..."} as compact JSON text.
std::string validate_case(std::string_view case_json);
std::string synthetic_case(std::string_view spec_json);
// {"ok":true,"result":R} with R exactly what `hetplan plan --json` prints for the same case and options
// ({"metis":R,"pruned":R} for both), elapsed_ms aside. The result text is spliced in unchanged, so callers
// can compare it byte for byte with the CLI.
std::string run_search(std::string_view case_json, std::string_view options_json, const ClockFn& now,
                       const ProgressSink& sink);
// Runs searches of a small built-in two-type case, both strategies in turn, until budget_ms have passed (at
// least one, at most a few hundred), and returns how many ran. The browser's engine optimizes a function only
// after it has run for a while: the page's worker calls this once after loading, so that the user's first
// search runs on optimized code. The case is parsed once, as the searches, not the parsing, are what matter.
int warm_up(double budget_ms, const ClockFn& now);
// Merges the results of the shards of one search: results_json is a JSON array of what each shard's run put
// under "result" (R, or {"metis":R,"pruned":R}), options_json the run's options (strategy, cost_model and top
// must be those of the shards' runs; shard fields are ignored). {"ok":true,"result":R'} with R' the bytes one
// unsharded run prints, except elapsed_ms: the longest shard's, since shards run side by side.
// With case_json (the shards' case, or empty for none), plans carry their explanations and R its export as
// the options ask: shards search without them (a shard's top plans are not the search's), the merge adds
// them.
std::string merge_results(std::string_view results_json, std::string_view options_json,
                          std::string_view case_json);
// The same for the last run-so-far texts of the workers of a run that was ended (the progress events'
// so_far): a worker's text may hold only the first strategies; R' holds the strategies some worker had
// begun, each marked cancelled.
std::string merge_so_far(std::string_view results_json, std::string_view options_json,
                         std::string_view case_json);

// The launch configuration of one plan (as R's "top" prints it) for options {"export": target,
// "untied_embeddings": bool}: {"ok":true,"export":{"target","refused","reason","can_take","files","notes"}}.
std::string export_plan(std::string_view case_json, std::string_view plan_json,
                        std::string_view options_json);

// A sweep's grid (hetplan/sweep.hpp): base_json a case JSON or a synthetic spec, vary_json an array of axes
// as the CLI's --vary takes them (["gbs=64,128", "types.A100.nodes=0..4"]). {"ok":true,"points":[{"values":
// [...], "case": <case JSON text as a string>} or {"values": [...], "error": "..."}, ...]} in grid order.
std::string sweep_points(std::string_view base_json, std::string_view vary_json);
// The best plan per point as CSV and JSON: results_json an array with, per point in grid order, R (or
// {"metis": R, ...}) of its run as the options ran it, or {"error": "..."}. {"ok":true,"table":{"csv":
// "...", "json": "..."}}: both as text, the bytes `hetplan sweep` prints for the same grid.
std::string sweep_table(std::string_view vary_json, std::string_view options_json,
                        std::string_view results_json);

}  // namespace hetplan::wasm

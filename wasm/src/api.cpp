#include "api.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hetplan/json_api.hpp"
#include "hetplan/run.hpp"
#include "hetplan/sweep.hpp"
#include "hetplan/synth.hpp"

namespace hetplan::wasm {

namespace {

using Json = nlohmann::ordered_json;

// dump() throws on invalid UTF-8 by default, and a throw aborts a build without exception support: replace.
std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// {"ok":false,"error":...,"kind":...}; a case too large also carries its counts and estimate, so that the
// page need not read the message.
std::string error_text(const Error& e) {
  Json j;
  j["ok"] = false;
  j["error"] = e.message;
  j["kind"] = to_string(e.kind);
  if (e.kind == ErrorKind::kTooLarge) {
    j["inter_plans"] = e.inter_plans;
    j["limit"] = e.limit;
    j["estimated_seconds"] = e.estimated_seconds;
  }
  return dump(j);
}

const char* kCaseSource = "case JSON";
const char* kShardsSource = "shard results";
// This build's rate of a metis search, for the estimate of a refused one: row 4 runs 1.5-1.7x slower in
// WebAssembly than natively (docs/performance.md, "Estimated times").
constexpr double kMicrosecondsPerInterPlanInWasm = 5.0;

// Core text spliced in unchanged, so that callers can compare it byte for byte with the CLI.
std::string ok_reply(const char* key, const std::string& text) {
  return std::string("{\"ok\":true,\"") + key + "\":" + text + "}";
}

}  // namespace

std::string validate_case(std::string_view case_json) {
  auto c = case_from_json(case_json, kCaseSource);
  if (!c) return error_text(c.error());
  return ok_reply("summary", case_summary_json_text(*c));
}

std::string synthetic_case(std::string_view spec_json) {
  auto text = synthetic_case_json(spec_json);
  if (!text) return error_text(text.error());
  return ok_reply("case", *text);
}

std::string run_search(std::string_view case_json, std::string_view options_json, const ClockFn& now,
                       const ProgressSink& sink) {
  auto options = run_options_from_json(options_json);
  if (!options) return error_text(options.error());
  options->microseconds_per_inter_plan = kMicrosecondsPerInterPlanInWasm;
  auto c = case_from_json(case_json, kCaseSource);
  if (!c) return error_text(c.error());
  RunHooks hooks;
  hooks.now_ms = now;
  // Stopping is the page's job: it terminates the worker, which is immediate. It keeps the run so far, sent
  // with the progress events, to show what was found before it stopped.
  std::string so_far;
  if (sink) {
    RunOptions plain = *options;  // the merge adds explanations and exports, given the case
    plain.explain = false;
    plain.export_target.reset();
    hooks.so_far = [&so_far, plain](const RunReport& r) { so_far = run_report_json(r, plain).text; };
    hooks.progress = [&so_far, &sink](const RunProgress& e) {
      sink(e, so_far);
      so_far.clear();
    };
  }
  auto report = run_strategies(*c, *options, hooks);
  if (!report) return error_text(report.error());
  return ok_reply("result", run_report_json(*report, *options, &*c).text);
}

int warm_up(double budget_ms, const ClockFn& now) {
  constexpr int kMaxSearches = 400;
  const double deadline = now() + budget_ms;
  // Table 1's first row: two types, mixed stages, a few hundred search steps.
  auto c = published_table_case(kPublishedTable[0]);
  if (!c) return 0;
  int searches = 0;
  SearchRequest request;
  do {
    request.strategy = searches % 2 == 0 ? Strategy::kMetis : Strategy::kPruned;
    if (!hetplan::run_search(*c, request)) break;
    ++searches;
  } while (searches < kMaxSearches && now() < deadline);
  return searches;
}

namespace {

std::string merge_parts(std::string_view results_json, std::string_view options_json,
                        std::string_view case_json, bool so_far) {
  auto options = run_options_from_json(options_json);
  if (!options) return error_text(options.error());
  std::optional<Case> c;
  if (!case_json.empty()) {
    auto read = case_from_json(case_json, kCaseSource);
    if (!read) return error_text(read.error());
    c = std::move(*read);
  }
  auto merged = so_far ? merge_so_far_array(results_json, kShardsSource, *options)
                       : merge_shard_array(results_json, kShardsSource, *options);
  if (!merged) return error_text(merged.error());
  // The merged result is the whole search's (its gaps to the optimum too).
  options->shard_index = 0;
  options->shard_count = 1;
  return ok_reply("result", run_report_json(*merged, *options, c ? &*c : nullptr).text);
}

}  // namespace

std::string merge_results(std::string_view results_json, std::string_view options_json,
                          std::string_view case_json) {
  return merge_parts(results_json, options_json, case_json, false);
}

std::string merge_so_far(std::string_view results_json, std::string_view options_json,
                         std::string_view case_json) {
  return merge_parts(results_json, options_json, case_json, true);
}

std::string export_plan(std::string_view case_json, std::string_view plan_json,
                        std::string_view options_json) {
  auto options = run_options_from_json(options_json);
  if (!options) return error_text(options.error());
  if (!options->export_target) return error_text(Error{"options.export: expected a target to export to"});
  auto c = case_from_json(case_json, kCaseSource);
  if (!c) return error_text(c.error());
  ExportOptions eo;
  eo.untied_embeddings = options->untied_embeddings;
  auto x = export_plan_json(*c, plan_json, *options->export_target, eo, "plan");
  if (!x) return error_text(x.error());
  return ok_reply("export", *x);
}

namespace {

// The axes of a sweep from the JSON array of their texts.
Outcome<std::vector<SweepAxis>> axes_of(std::string_view vary_json) {
  const auto j = Json::parse(vary_json, nullptr, false);
  if (j.is_discarded() || !j.is_array() || j.empty()) {
    return Error{"vary: expected a non-empty array of axes (\"gbs=64,128\")"};
  }
  std::vector<SweepAxis> axes;
  for (const auto& text : j) {
    if (!text.is_string()) return Error{"vary: expected texts (\"gbs=64,128\")"};
    auto axis = parse_sweep_axis(text.get<std::string>());
    if (!axis) return axis.error();
    axes.push_back(std::move(*axis));
  }
  return axes;
}

}  // namespace

std::string sweep_points(std::string_view base_json, std::string_view vary_json) {
  auto axes = axes_of(vary_json);
  if (!axes) return error_text(axes.error());
  auto points = hetplan::sweep_points(base_json, *axes);
  if (!points) return error_text(points.error());
  Json out = Json::array();
  for (const auto& p : *points) {
    Json j{{"values", p.values}};
    if (p.error.empty()) {
      j["case"] = p.case_json;
    } else {
      j["error"] = p.error;
    }
    out.push_back(std::move(j));
  }
  return ok_reply("points", dump(out));
}

std::string sweep_table(std::string_view vary_json, std::string_view options_json,
                        std::string_view results_json) {
  auto axes = axes_of(vary_json);
  if (!axes) return error_text(axes.error());
  auto options = run_options_from_json(options_json);
  if (!options) return error_text(options.error());
  const auto results = Json::parse(results_json, nullptr, false);
  if (results.is_discarded() || !results.is_array()) return error_text(Error{"results: expected an array"});
  std::vector<SweepPoint> points;
  std::vector<SweepOutcome> outcomes;
  // The grid's values again, in order (the same enumeration as sweep_points, without the inputs).
  std::size_t count = 1;
  for (const auto& axis : *axes) count *= axis.values.size();
  if (results.size() != count) {
    return error_text(Error{"results: " + std::to_string(results.size()) + " results for " +
                            std::to_string(count) + " points"});
  }
  for (std::size_t n = 0; n < count; ++n) {
    SweepPoint point;
    point.values.resize(axes->size());
    std::size_t rest = n;
    for (std::size_t a = axes->size(); a-- > 0;) {
      point.values[a] = (*axes)[a].values[rest % (*axes)[a].values.size()];
      rest /= (*axes)[a].values.size();
    }
    SweepOutcome outcome;
    const Json& r = results[n];
    if (r.is_object() && r.contains("error") && r.size() == 1) {
      outcome.error = r["error"].is_string() ? r["error"].get<std::string>() : r["error"].dump();
    } else {
      auto report = merge_shard_reports({{dump(r), "results", "[" + std::to_string(n) + "]"}}, *options);
      if (!report) return error_text(report.error());
      outcome.report = std::move(*report);
    }
    points.push_back(std::move(point));
    outcomes.push_back(std::move(outcome));
  }
  // Both as text, so that a caller keeps the bytes `hetplan sweep` prints (re-serialising the JSON in
  // another language could rewrite its numbers).
  const Json table{{"csv", hetplan::sweep_csv(*axes, points, outcomes)},
                   {"json", hetplan::sweep_json(*axes, points, outcomes)}};
  return ok_reply("table", dump(table));
}

}  // namespace hetplan::wasm

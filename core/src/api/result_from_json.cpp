// Reads a result object R (what result_json writes) back into a SearchResult. Strict: an unknown field is an
// error, so a field added to result_json but not here cannot vanish silently from merged output.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "api/json_values.hpp"
#include "hetplan/reasons.hpp"
#include "input/json_util.hpp"

namespace hetplan {

namespace {

using internal::join_path;
using internal::Json;
using internal::JsonReader;

// Counts stay below 2^53, where a double (a JS number) still holds every integer: the page's readers agree.
constexpr std::int64_t kMaxCount = std::int64_t{1} << 53;
constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();

// The gaps to the optimum and the export are read past: run_report_json derives them again from the whole
// run (and the case).
constexpr std::array<const char*, 21> kResultFields = {"strategy",
                                                       "cost_model",
                                                       "count",
                                                       "costed_plans",
                                                       "cost_errors",
                                                       "inter_plans",
                                                       "skipped_candidates",
                                                       "pruned_by_bound",
                                                       "skipped_no_memory_estimate",
                                                       "skipped_no_layer_balance",
                                                       "out_of_memory_candidates",
                                                       "missing_profile_keys",
                                                       "notes",
                                                       "reasons",
                                                       "no_plan",
                                                       "cancelled",
                                                       "elapsed_ms",
                                                       "top",
                                                       "gap_to_optimum_ms",
                                                       "gap_to_optimum_percent",
                                                       "export"};
// "explain" is read past: it is derived from the plan and the case (run_report_json writes it again).
constexpr std::array<const char*, 11> kPlanFields = {
    "cost",    "node_sequence",   "device_groups",    "num_stage",       "strategies",
    "batches", "layer_partition", "inter_plan_index", "num_repartition", "warnings",
    "explain"};
constexpr std::array<const char*, 3> kWarningFields = {"kind", "stage", "message"};

template <std::size_t N>
bool only_known_fields(JsonReader& r, const std::string& source, const Json& obj, const std::string& path,
                       const std::array<const char*, N>& known) {
  for (const auto& item : obj.items()) {
    const std::string& key = item.key();
    if (std::find_if(known.begin(), known.end(), [&key](const char* k) { return key == k; }) == known.end()) {
      r.fail(Error{source + ": " + join_path(path, key) + ": unknown field of a result"});
      return false;
    }
  }
  return true;
}

// A whole number in [min, max] that is an element, not a member (JsonReader reads members).
std::optional<std::int64_t> whole(JsonReader& r, const Json& v, const std::string& path, std::int64_t min,
                                  std::int64_t max) {
  const Json holder = {{"v", v}};
  JsonReader inner("");
  auto got = inner.integer(holder, "v", "", true, min, max);
  if (!got)
    r.fail(r.error(path, "a whole number from " + std::to_string(min) + " to " + std::to_string(max), &v));
  return got;
}

const Json* array_member(JsonReader& r, const Json& obj, const std::string& key, const std::string& path,
                         const std::string& expected) {
  const Json* a = r.member(obj, key, path, true);
  if (a != nullptr && !a->is_array()) {
    r.fail(r.error(join_path(path, key), expected, a));
    return nullptr;
  }
  return a;
}

std::optional<std::vector<int>> int_array(JsonReader& r, const Json& obj, const std::string& key,
                                          const std::string& path, int min) {
  const Json* a = array_member(r, obj, key, path, "an array of whole numbers");
  if (a == nullptr) return std::nullopt;
  std::vector<int> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    auto v = whole(r, (*a)[i], join_path(path, key) + "[" + std::to_string(i) + "]", min, kMaxInt);
    if (!v) return std::nullopt;
    out.push_back(static_cast<int>(*v));
  }
  return out;
}

std::optional<std::vector<std::string>> string_array(JsonReader& r, const Json& obj, const std::string& key,
                                                     const std::string& path) {
  const Json* a = array_member(r, obj, key, path, "an array of strings");
  if (a == nullptr) return std::nullopt;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_string()) {
      r.fail(r.error(join_path(path, key) + "[" + std::to_string(i) + "]", "a string", &(*a)[i]));
      return std::nullopt;
    }
    out.push_back((*a)[i].get<std::string>());
  }
  return out;
}

std::optional<std::vector<std::pair<int, int>>> strategy_pairs(JsonReader& r, const Json& obj,
                                                               const std::string& path) {
  const Json* a = array_member(r, obj, "strategies", path, "an array of [dp, tp] pairs");
  if (a == nullptr) return std::nullopt;
  std::vector<std::pair<int, int>> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string p = join_path(path, "strategies") + "[" + std::to_string(i) + "]";
    const Json& pair = (*a)[i];
    if (!pair.is_array() || pair.size() != 2) {
      r.fail(r.error(p, "a [dp, tp] pair", &pair));
      return std::nullopt;
    }
    auto dp = whole(r, pair[0], p + "[0]", 1, kMaxInt);
    auto tp = whole(r, pair[1], p + "[1]", 1, kMaxInt);
    if (!dp || !tp) return std::nullopt;
    out.emplace_back(static_cast<int>(*dp), static_cast<int>(*tp));
  }
  return out;
}

// The case's reasons of a result's "reasons": those the counters give are worked out again from the counts
// (after a merge, from their sums).
std::optional<std::vector<Reason>> case_reasons(JsonReader& r, const Json& obj, const std::string& path) {
  const Json* a = array_member(r, obj, "reasons", path, "an array of {\"code\", \"text\"} objects");
  if (a == nullptr) return std::nullopt;
  std::vector<Reason> out;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string p = join_path(path, "reasons") + "[" + std::to_string(i) + "]";
    const Json& item = (*a)[i];
    if (!item.is_object()) {
      r.fail(r.error(p, "a {\"code\", \"text\"} object", &item));
      return std::nullopt;
    }
    auto code = r.string(item, "code", p, true);
    auto text = r.string(item, "text", p, true);
    if (!code || !text) return std::nullopt;
    if (!is_outcome_reason(*code)) out.push_back({std::move(*code), std::move(*text)});
  }
  return out;
}

template <class Enum, std::size_t N>
std::optional<Enum> enum_member(JsonReader& r, const Json& obj, const std::string& key,
                                const std::string& path, const std::array<Enum, N>& values) {
  std::string expected;
  for (std::size_t i = 0; i < N; ++i) {
    expected += i == 0 ? "" : (i + 1 == N ? " or " : ", ");
    expected += std::string("\"") + to_string(values[i]) + "\"";
  }
  const Json* v = r.member(obj, key, path, true);
  if (v == nullptr) return std::nullopt;
  for (const Enum e : values) {
    if (v->is_string() && v->get_ref<const std::string&>() == to_string(e)) return e;
  }
  r.fail(r.error(join_path(path, key), expected, v));
  return std::nullopt;
}

// "warnings": [{"kind", "stage", "message"}], absent when the plan has none.
std::optional<std::vector<LaunchWarning>> read_warnings(JsonReader& r, const std::string& source,
                                                        const Json& j, const std::string& path) {
  std::vector<LaunchWarning> out;
  if (!j.contains("warnings")) return out;
  const Json* a = array_member(r, j, "warnings", path, "an array of warnings");
  if (a == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const std::string p = join_path(path, "warnings") + "[" + std::to_string(i) + "]";
    const Json& w = (*a)[i];
    if (!w.is_object()) {
      r.fail(r.error(p, "a warning object {\"kind\", \"stage\", \"message\"}", &w));
      return std::nullopt;
    }
    if (!only_known_fields(r, source, w, p, kWarningFields)) return std::nullopt;
    auto kind = enum_member(r, w, "kind", p,
                            std::array{LaunchIssue::kTpAcrossNodes, LaunchIssue::kTpAcrossTypes,
                                       LaunchIssue::kTpOverHeads, LaunchIssue::kTpSplitsHeads});
    auto stage = r.integer(w, "stage", p, true, 1, kMaxInt);
    const Json* message = r.member(w, "message", p, true);
    if (message != nullptr && !message->is_string())
      r.fail(r.error(join_path(p, "message"), "a string", message));
    if (r.failed()) return std::nullopt;
    out.push_back({*kind, static_cast<int>(*stage), message->get<std::string>()});
  }
  return out;
}

std::optional<PlanRecord> read_plan(JsonReader& r, const std::string& source, const Json& j,
                                    const std::string& path, int position) {
  if (!j.is_object()) {
    r.fail(r.error(path, "a plan object", &j));
    return std::nullopt;
  }
  if (!only_known_fields(r, source, j, path, kPlanFields)) return std::nullopt;
  PlanRecord p;
  auto cost = r.number(j, "cost", path, true, false);
  auto nodes = string_array(r, j, "node_sequence", path);
  auto groups = int_array(r, j, "device_groups", path, 0);
  auto num_stage = r.integer(j, "num_stage", path, true, 0, kMaxInt);
  auto strategies = strategy_pairs(r, j, path);
  auto batches = r.integer(j, "batches", path, true, 0, kMaxInt);
  auto partition = int_array(r, j, "layer_partition", path, 0);
  auto index = r.integer(j, "inter_plan_index", path, true, 0, kMaxCount);
  auto repartition = r.integer(j, "num_repartition", path, true, 0, kMaxInt);
  auto warnings = read_warnings(r, source, j, path);
  if (r.failed() || !warnings) return std::nullopt;
  p.cost = *cost;
  p.node_sequence = std::move(*nodes);
  p.device_groups = std::move(*groups);
  p.num_stage = static_cast<int>(*num_stage);
  p.strategies = std::move(*strategies);
  p.batches = static_cast<int>(*batches);
  p.layer_partition = std::move(*partition);
  p.inter_plan_index = *index;
  p.intra_index = position;
  p.num_repartition = static_cast<int>(*repartition);
  p.warnings = std::move(*warnings);
  return p;
}

}  // namespace

namespace internal {

Outcome<PlanRecord> plan_from_json_value(const Json& j, const std::string& source, const std::string& path) {
  JsonReader r(source);
  auto plan = read_plan(r, source, j, path, 0);
  if (!plan) return r.first_error();
  return *plan;
}

Outcome<TimedResult> result_from_json_value(const Json& j, const std::string& source,
                                            const std::string& path) {
  JsonReader r(source);
  const std::string where = path.empty() ? "(top level)" : path;
  if (!j.is_object()) return r.error(where, "a result object {\"strategy\", \"count\", ..., \"top\"}", &j);
  if (!only_known_fields(r, source, j, path, kResultFields)) return r.first_error();
  TimedResult out;
  SearchResult& s = out.result;
  auto strategy = enum_member(r, j, "strategy", path,
                              std::array{Strategy::kMetis, Strategy::kPruned, Strategy::kBounded,
                                         Strategy::kBoundedPruned, Strategy::kOptimal});
  auto model =
      enum_member(r, j, "cost_model", path, std::array{CostModel::kCorrected, CostModel::kReference});
  auto count = r.integer(j, "count", path, true, 0, kMaxCount);
  auto costed = r.integer(j, "costed_plans", path, true, 0, kMaxCount);
  auto cost_errors = r.integer(j, "cost_errors", path, true, 0, kMaxCount);
  auto inter = r.integer(j, "inter_plans", path, true, 0, kMaxCount);
  auto skipped = r.integer(j, "skipped_candidates", path, true, 0, kMaxCount);
  auto bound = r.integer(j, "pruned_by_bound", path, false, 0, kMaxCount);
  auto no_estimate = r.integer(j, "skipped_no_memory_estimate", path, true, 0, kMaxCount);
  auto no_balance = r.integer(j, "skipped_no_layer_balance", path, true, 0, kMaxCount);
  auto out_of_memory = r.integer(j, "out_of_memory_candidates", path, true, 0, kMaxCount);
  auto missing = string_array(r, j, "missing_profile_keys", path);
  auto notes = string_array(r, j, "notes", path);
  auto reasons = case_reasons(r, j, path);
  // Worked out from the counts: read for its type only.
  const Json* no_plan = r.member(j, "no_plan", path, true);
  if (no_plan != nullptr && !no_plan->is_boolean()) {
    r.fail(r.error(join_path(path, "no_plan"), "true or false", no_plan));
  }
  const Json* cancelled = r.member(j, "cancelled", path, true);
  if (cancelled != nullptr && !cancelled->is_boolean()) {
    r.fail(r.error(join_path(path, "cancelled"), "true or false", cancelled));
  }
  auto elapsed = r.number(j, "elapsed_ms", path, true, true, true);
  const Json* top = array_member(r, j, "top", path, "an array of plans");
  if (r.failed()) return r.first_error();

  s.strategy = *strategy;
  s.cost_model = *model;
  s.count = *count;
  s.costed_plans = *costed;
  s.cost_errors = *cost_errors;
  s.inter_plans = *inter;
  s.skipped_candidates = *skipped;
  s.pruned_by_bound = bound.value_or(0);
  s.skipped_no_memory_estimate = *no_estimate;
  s.skipped_no_layer_balance = *no_balance;
  s.out_of_memory = *out_of_memory;
  s.missing_keys.insert(missing->begin(), missing->end());
  s.notes = std::move(*notes);
  s.case_reasons = std::move(*reasons);
  s.cancelled = cancelled->get<bool>();
  out.elapsed_ms = *elapsed;
  for (std::size_t i = 0; i < top->size(); ++i) {
    auto plan = read_plan(r, source, (*top)[i], join_path(path, "top") + "[" + std::to_string(i) + "]",
                          static_cast<int>(i));
    if (!plan) return r.first_error();
    s.top.push_back(std::move(*plan));
  }
  return out;
}

}  // namespace internal

Outcome<TimedResult> result_from_json(std::string_view text, const std::string& source) {
  auto parsed = internal::parse_json(text, source);
  if (!parsed) return parsed.error();
  return internal::result_from_json_value(*parsed, source, "");
}

}  // namespace hetplan

#include "api.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hetplan/json_api.hpp"
#include "hetplan/search.hpp"
#include "hetplan/synth.hpp"
#include "options.hpp"
#include "throttle.hpp"

namespace hetplan::wasm {

namespace {

// dump() throws on invalid UTF-8 by default, and a throw aborts a build without exception support: replace.
std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string error_text(const std::string& message) {
  nlohmann::ordered_json j;
  j["ok"] = false;
  j["error"] = message;
  return dump(j);
}

// A search's error; a case over the limit also carries its kind and counts, so the page need not read the
// message.
std::string error_text(const Error& e) {
  if (e.kind != ErrorKind::kTooLarge) return error_text(e.message);
  nlohmann::ordered_json j;
  j["ok"] = false;
  j["error"] = e.message;
  j["kind"] = to_string(e.kind);
  j["inter_plans"] = e.inter_plans;
  j["limit"] = e.limit;
  return dump(j);
}

const char* kCaseSource = "case JSON";
const char* kShardsSource = "shard results";

using Outputs = std::vector<std::pair<const char*, nlohmann::ordered_json>>;

// With optimal among the strategies (and a plan from it), every other strategy's R with a plan says how far
// its best plan is above the optimum, as `hetplan plan --json` does. Only for whole searches: a shard's
// optimum is not the search's, so the shards' results leave it to their merge.
void add_gaps_to_optimum(Outputs& outputs) {
  const auto optimal = std::find_if(outputs.begin(), outputs.end(), [](const auto& o) {
    return o.first == std::string_view(to_string(Strategy::kOptimal)) && !o.second["top"].empty() &&
           !o.second["cancelled"].template get<bool>();
  });
  if (optimal == outputs.end()) return;
  const double optimum = optimal->second["top"][0]["cost"].get<double>();
  for (auto& [name, r] : outputs) {
    if (&r == &optimal->second || r["top"].empty()) continue;
    const double best = r["top"][0]["cost"].get<double>();
    r["gap_to_optimum_ms"] = best - optimum;
    r["gap_to_optimum_percent"] = 100.0 * (best - optimum) / optimum;
  }
}

// {"ok":true,"result":R} for one strategy, {"ok":true,"result":{"metis":R,"pruned":R,...}} for several.
std::string result_reply(Outputs outputs) {
  nlohmann::ordered_json out;
  if (outputs.size() == 1) {
    out = std::move(outputs.front().second);
  } else {
    for (auto& [name, r] : outputs) out[name] = std::move(r);
  }
  return "{\"ok\":true,\"result\":" + dump(out) + "}";
}

std::string shard_error(const std::string& path, const std::string& message) {
  return error_text(std::string(kShardsSource) + ": " + path + ": " + message);
}

}  // namespace

std::string validate_case(std::string_view case_json) {
  auto c = case_from_json(case_json, kCaseSource);
  if (!c) return error_text(c.error().message);
  nlohmann::ordered_json j;
  j["ok"] = true;
  j["summary"] = case_summary_json(*c);
  return dump(j);
}

std::string synthetic_case(std::string_view spec_json) {
  auto text = synthetic_case_json(spec_json);
  if (!text) return error_text(text.error().message);
  // The core returns JSON text; splice it in rather than parse and re-print it.
  return "{\"ok\":true,\"case\":" + *text + "}";
}

std::string run_search(std::string_view case_json, std::string_view options_json, const ClockFn& now,
                       const ProgressSink& sink) {
  auto options = parse_run_options(options_json);
  if (!options) return error_text(options.error().message);
  auto c = case_from_json(case_json, kCaseSource);
  if (!c) return error_text(c.error().message);
  const std::int64_t inter_total = count_inter_stage_plans(*c);

  std::vector<std::pair<const char*, nlohmann::ordered_json>> outputs;
  for (const Strategy strategy : options->strategies) {
    const char* name = to_string(strategy);
    double start = now();
    double elapsed = 0;  // of one search: the mean over the trials
    Throttle throttle(options->progress_interval_ms, options->progress_slices, options->progress_min_gap_ms,
                      inter_total);
    auto emit = [&](const SearchProgress& p, bool final) {
      if (!sink) return;
      ProgressEvent e;
      e.strategy = name;
      e.steps = p.steps;
      e.inter_done = p.inter_done;
      e.inter_total = inter_total;
      e.costed = p.costed;
      if (p.has_best) e.best_cost = p.best_cost;
      e.elapsed_ms = final ? elapsed : now() - start;
      e.final = final;
      sink(e);
    };
    // A first event before any work, so the page can show the size of the search at once.
    emit(SearchProgress{}, false);
    // The search's time starts after that message, as the CLI's starts at the search: the first event is
    // reporting, which on small searches would otherwise weigh as much as the search.
    start = now();
    throttle.due([start] { return start; }, 0);

    SearchRequest request;
    request.strategy = strategy;
    request.cost_model = options->cost_model;
    request.top_k = options->top_k;
    request.max_inter_plans = options->max_inter_plans;
    request.shard_index = options->shard_index;
    request.shard_count = options->shard_count;
    auto result = hetplan::run_search(*c, request, [&](const SearchProgress& p) {
      if (throttle.due(now, p.inter_done)) emit(p, false);
      return true;  // stopping is the page's job: it terminates the worker, which is immediate
    });
    double total_ms = now() - start;
    if (!result) return error_text(result.error());
    // The repeats of a timing run: the same search again, without events (the counters showed it once).
    for (int t = 1; t < options->trials; ++t) {
      const double again = now();
      const auto repeat = hetplan::run_search(*c, request);
      total_ms += now() - again;
      if (!repeat) return error_text(repeat.error().message);
    }
    elapsed = total_ms / options->trials;

    SearchProgress last;
    last.steps = result->count;
    // The bounded strategies' progress counts the inter-stage plans ruled out by the bound as done.
    last.inter_done = result->inter_plans + result->pruned_by_bound;
    last.costed = result->costed_plans;
    last.has_best = !result->top.empty();
    if (last.has_best) last.best_cost = result->top.front().cost;
    emit(last, true);
    outputs.emplace_back(name, result_json(*result, elapsed));
  }
  if (options->shard_count == 1) add_gaps_to_optimum(outputs);
  return result_reply(std::move(outputs));
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

std::string merge_results(std::string_view results_json, std::string_view options_json) {
  auto options = parse_run_options(options_json);
  if (!options) return error_text(options.error().message);
  const auto shards = nlohmann::ordered_json::parse(results_json, nullptr, false);
  if (shards.is_discarded() || !shards.is_array() || shards.empty()) {
    return error_text(std::string(kShardsSource) + ": expected a non-empty JSON array of results");
  }
  const bool several = options->strategies.size() > 1;
  std::string keys;  // "\"metis\": R, \"pruned\": R", for messages
  for (const Strategy strategy : options->strategies) {
    keys += std::string(keys.empty() ? "" : ", ") + "\"" + to_string(strategy) + "\": R";
  }
  Outputs outputs;
  for (const Strategy strategy : options->strategies) {
    const char* name = to_string(strategy);
    std::vector<SearchResult> parts;
    double elapsed = 0;
    for (std::size_t i = 0; i < shards.size(); ++i) {
      std::string path = "[" + std::to_string(i) + "]";
      const nlohmann::ordered_json* r = &shards[i];
      if (several) {
        if (!r->is_object() || r->size() != options->strategies.size() || !r->contains(name)) {
          return shard_error(path, "expected {" + keys + "} (one R per strategy of the option)");
        }
        r = &(*r)[name];
        path += std::string(".") + name;
      }
      auto read = result_from_json_value(*r, kShardsSource, path);
      if (!read) return error_text(read.error().message);
      if (read->result.strategy != strategy || read->result.cost_model != options->cost_model) {
        return shard_error(path, std::string("a ") + to_string(read->result.strategy) + " result with the " +
                                     to_string(read->result.cost_model) + " cost model, expected " + name +
                                     " with " + to_string(options->cost_model));
      }
      elapsed = std::max(elapsed, read->elapsed_ms);
      parts.push_back(std::move(read->result));
    }
    outputs.emplace_back(name, result_json(hetplan::merge_results(parts, options->top_k), elapsed));
  }
  add_gaps_to_optimum(outputs);
  return result_reply(std::move(outputs));
}

}  // namespace hetplan::wasm

// A run's result as JSON (R per strategy, gaps to the optimum, explanations and an export), and the results
// of a run's shards merged into one.
#include <algorithm>
#include <string>
#include <utility>

#include "api/json_values.hpp"
#include "hetplan/explain.hpp"
#include "hetplan/run.hpp"

namespace hetplan {

namespace {

using Json = nlohmann::ordered_json;

// "explain" on every plan of the top, and R's "export" of the plan asked for; false when the export is
// refused or its plan missing.
bool add_plan_requests(Json& r, const Case& c, const SearchResult& result, const RunOptions& o) {
  if (o.explain) {
    for (std::size_t i = 0; i < result.top.size(); ++i) {
      auto e = explain_plan(c, result.top[i], result.cost_model);
      r["top"][i]["explain"] = e ? internal::explain_json(*e) : Json{{"error", e.error().message}};
    }
  }
  if (!o.export_target) return true;
  Json j = Json::object();
  j["rank"] = o.export_rank;
  bool met = false;
  if (o.export_rank > static_cast<int>(result.top.size())) {
    j["error"] = "no plan of rank " + std::to_string(o.export_rank);
  } else {
    ExportOptions eo;
    eo.untied_embeddings = o.untied_embeddings;
    auto x = export_plan(c, result.top[static_cast<std::size_t>(o.export_rank - 1)], *o.export_target, eo);
    if (x) {
      j.update(internal::export_json(*x));
      met = !x->refused;
    } else {
      j["error"] = x.error().message;
    }
  }
  r["export"] = std::move(j);
  return met;
}

}  // namespace

ReportJson run_report_json(const RunReport& report, const RunOptions& options, const Case* c) {
  ReportJson out;
  // A shard's optimum is not the search's: the gaps are the merge's to give.
  std::optional<double> optimum;
  if (options.shard_count == 1) optimum = optimum_of(report);
  const auto one = [&](const StrategyRun& run) {
    Json j = internal::result_json(run.result, run.elapsed_ms);
    // With the optimal strategy among those run, every other one says how far its best plan is above it.
    if (optimum && run.result.strategy != Strategy::kOptimal && !run.result.top.empty()) {
      const double best = run.result.top.front().cost;
      j["gap_to_optimum_ms"] = best - *optimum;
      j["gap_to_optimum_percent"] = 100.0 * (best - *optimum) / *optimum;
    }
    if (c != nullptr) out.requests_met = add_plan_requests(j, *c, run.result, options) && out.requests_met;
    return j;
  };
  if (!report.keyed && report.runs.size() == 1) {
    out.text = internal::compact(one(report.runs.front()));
    return out;
  }
  Json all = Json::object();
  for (const auto& run : report.runs) all[to_string(run.result.strategy)] = one(run);
  out.text = internal::compact(all);
  return out;
}

namespace {

// The parts' documents, parsed; parts[i] names documents[i] in messages. With so_far, a keyed part may hold
// only the first strategies (a run ended early), and a strategy no part holds is left out.
Outcome<RunReport> merge_documents(const std::vector<Json>& documents, const std::vector<ShardPart>& parts,
                                   const RunOptions& options, bool so_far = false) {
  // "source: path: message", or "source: message" for a part that is a whole document.
  const auto where = [](const ShardPart& part, const std::string& path) {
    return part.source + ": " + (path.empty() ? "" : path + ": ");
  };
  RunReport report;
  report.keyed = options.strategies.size() > 1;
  std::string keys;  // "\"metis\": R, \"pruned\": R", for messages
  for (const Strategy s : options.strategies) {
    keys += std::string(keys.empty() ? "" : ", ") + "\"" + to_string(s) + "\": R";
  }
  for (const Strategy strategy : options.strategies) {
    const char* name = to_string(strategy);
    std::vector<SearchResult> shards;
    StrategyRun run;
    for (std::size_t i = 0; i < documents.size(); ++i) {
      const ShardPart& part = parts[i];
      const Json* r = &documents[i];
      std::string path = part.path;
      if (report.keyed) {
        if (so_far && r->is_object() && !r->contains(name) && r->size() < options.strategies.size()) continue;
        if (!r->is_object() || (!so_far && r->size() != options.strategies.size()) || !r->contains(name)) {
          return Error{where(part, path) + "expected {" + keys + "} (one R per strategy of the option)"};
        }
        r = &(*r)[name];
        path += (path.empty() ? "" : ".") + std::string(name);
      }
      auto read = internal::result_from_json_value(*r, part.source, path);
      if (!read) return read.error();
      if (read->result.strategy != strategy || read->result.cost_model != options.cost_model) {
        return Error{where(part, path) + "a " + to_string(read->result.strategy) + " result with the " +
                     to_string(read->result.cost_model) + " cost model, expected " + name + " with " +
                     to_string(options.cost_model)};
      }
      // Shards run side by side: the run took as long as the longest.
      run.elapsed_ms = std::max(run.elapsed_ms, read->elapsed_ms);
      shards.push_back(std::move(read->result));
    }
    if (shards.empty()) break;  // so_far: the strategies after this one had not started either
    run.result = merge_results(shards, options.top_k);
    run.result.cancelled = run.result.cancelled || so_far;
    run.workers = static_cast<int>(shards.size());
    run.merged = true;
    report.runs.push_back(std::move(run));
  }
  if (report.runs.empty()) return Error{parts.front().source + ": no part holds a result"};
  return report;
}

}  // namespace

Outcome<RunReport> merge_shard_reports(const std::vector<ShardPart>& parts, const RunOptions& options) {
  if (parts.empty()) return Error{"no shard results to merge"};
  std::vector<Json> documents;
  documents.reserve(parts.size());
  for (const auto& part : parts) {
    documents.push_back(Json::parse(part.text, nullptr, false));
    if (documents.back().is_discarded()) {
      return Error{part.source + ": " + (part.path.empty() ? "" : part.path + ": ") + "not JSON"};
    }
  }
  return merge_documents(documents, parts, options);
}

namespace {

Outcome<RunReport> merge_array(std::string_view array_text, const std::string& source,
                               const RunOptions& options, bool so_far) {
  auto documents = Json::parse(array_text, nullptr, false);
  if (documents.is_discarded() || !documents.is_array() || documents.empty()) {
    return Error{source + ": expected a non-empty JSON array of results"};
  }
  std::vector<ShardPart> parts;
  for (std::size_t i = 0; i < documents.size(); ++i)
    parts.push_back({"", source, "[" + std::to_string(i) + "]"});
  return merge_documents(documents.get_ref<Json::array_t&>(), parts, options, so_far);
}

}  // namespace

Outcome<RunReport> merge_shard_array(std::string_view array_text, const std::string& source,
                                     const RunOptions& options) {
  return merge_array(array_text, source, options, false);
}

Outcome<RunReport> merge_so_far_array(std::string_view array_text, const std::string& source,
                                      const RunOptions& options) {
  return merge_array(array_text, source, options, true);
}

}  // namespace hetplan

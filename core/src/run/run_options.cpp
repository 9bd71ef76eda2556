// The page's options JSON read into RunOptions, with the bounds every face shares (run.hpp).
#include <cmath>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "hetplan/run.hpp"

namespace hetplan {

namespace {

constexpr double kMaxIntervalMs = 60'000;
constexpr int kMaxSlices = 1000;

Error option_error(const std::string& field, const std::string& expected) {
  return Error{"options." + field + ": expected " + expected};
}

std::string whole_range(int from, int to) {
  return "a whole number from " + std::to_string(from) + " to " + std::to_string(to);
}

// A whole number in [from, to], or nullopt.
std::optional<int> whole_in(const nlohmann::json& value, int from, int to) {
  if (!value.is_number_integer()) return std::nullopt;
  const auto v = value.get<std::int64_t>();
  if (v < from || v > to) return std::nullopt;
  return static_cast<int>(v);
}

// A time option: a finite number of milliseconds from 0 to kMaxIntervalMs.
std::optional<double> milliseconds(const nlohmann::json& value) {
  if (!value.is_number()) return std::nullopt;
  const double v = value.get<double>();
  if (!std::isfinite(v) || v < 0 || v > kMaxIntervalMs) return std::nullopt;
  return v;
}
constexpr const char* kMillisecondsExpected = "a number of milliseconds from 0 to 60000";

constexpr const char* kStrategiesExpected =
    "one or more of \"metis\", \"pruned\", \"both\" (metis and pruned), \"bounded\", \"bounded-pruned\" "
    "and \"optimal\", separated by commas (\"metis,bounded,optimal\")";

constexpr const char* kKnownFields =
    "strategy, cost_model, top, trials, threads, max_inter_plans, launchable_only, shard_index, shard_count, "
    "progress_interval_ms, progress_slices, progress_min_gap_ms, explain, export, export_rank, "
    "untied_embeddings, confirm_in_page";

// One field into `o`; an error names it and what it takes.
std::optional<Error> read_field(const std::string& key, const nlohmann::json& value, RunOptions& o) {
  const std::string* text = value.get_ptr<const std::string*>();
  const bool* flag = value.get_ptr<const bool*>();
  if (key == "strategy") {
    auto strategies = text == nullptr ? Outcome<std::vector<Strategy>>(Error{}) : parse_strategy_list(*text);
    if (!strategies) return option_error(key, kStrategiesExpected);
    o.strategies = std::move(*strategies);
  } else if (key == "cost_model") {
    auto model = text == nullptr ? Outcome<CostModel>(Error{}) : parse_cost_model(*text);
    if (!model) return option_error(key, "\"corrected\" or \"reference\"");
    o.cost_model = *model;
  } else if (key == "top" || key == "trials") {
    const int most = key == "top" ? kMaxTop : kMaxTrials;
    const auto v = whole_in(value, 1, most);
    if (!v) return option_error(key, whole_range(1, most));
    (key == "top" ? o.top_k : o.trials) = *v;
  } else if (key == "threads" || key == "shard_count") {
    const auto v = whole_in(value, 1, kMaxWorkers);
    if (!v) return option_error(key, whole_range(1, kMaxWorkers));
    (key == "threads" ? o.threads : o.shard_count) = *v;
  } else if (key == "shard_index") {
    // Checked against shard_count once both are known (the fields come in any order).
    const auto v = whole_in(value, 0, kMaxWorkers - 1);
    if (!v) return option_error(key, "a whole number from 0 to shard_count - 1");
    o.shard_index = *v;
  } else if (key == "max_inter_plans") {
    if (!value.is_number_integer() || value.get<std::int64_t>() < 1) {
      return option_error(key, "a whole number from 1");
    }
    o.max_inter_plans = value.get<std::int64_t>();
  } else if (key == "progress_interval_ms" || key == "progress_min_gap_ms") {
    const auto v = milliseconds(value);
    if (!v) return option_error(key, kMillisecondsExpected);
    (key == "progress_interval_ms" ? o.progress.interval_ms : o.progress.min_gap_ms) = *v;
  } else if (key == "progress_slices") {
    const auto v = whole_in(value, 0, kMaxSlices);
    if (!v) return option_error(key, whole_range(0, kMaxSlices));
    o.progress.slices = *v;
  } else if (key == "launchable_only" || key == "explain" || key == "untied_embeddings") {
    if (flag == nullptr) return option_error(key, "true or false");
    (key == "launchable_only" ? o.launchable_only
     : key == "explain"       ? o.explain
                              : o.untied_embeddings) = *flag;
  } else if (key == "export") {
    const auto target = text == nullptr ? std::nullopt : export_target_named(*text);
    if (!target) return option_error(key, "\"megatron\", \"flagscale\" or \"deepspeed\"");
    o.export_target = target;
  } else if (key == "export_rank") {
    const auto v = whole_in(value, 1, kMaxTop);
    if (!v) return option_error(key, whole_range(1, kMaxTop));
    o.export_rank = *v;
  } else if (key == "confirm_in_page") {
    // The page asks its user before a search past the limit, and calls its shards workers.
    if (flag == nullptr) return option_error(key, "true or false");
    o.limit_option = *flag ? "" : RunOptions{}.limit_option;
    o.worker_name = *flag ? "worker" : RunOptions{}.worker_name;
    o.shards_are_workers = *flag;
  } else {
    // Strict on names: a misspelt option silently ignored would run a search the user did not ask for.
    return Error{"options: unknown field \"" + key + "\" (known: " + kKnownFields + ")"};
  }
  return std::nullopt;
}

}  // namespace

Outcome<CostModel> parse_cost_model(std::string_view text) {
  if (text == "corrected") return CostModel::kCorrected;
  if (text == "reference") return CostModel::kReference;
  return Error{"unknown cost model \"" + std::string(text) + "\": expected corrected or reference"};
}

Outcome<RunOptions> run_options_from_json(std::string_view text) {
  RunOptions o;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return o;  // no options: the defaults
  // allow_exceptions=false: a parse error gives a discarded value instead of a throw.
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"options: expected a JSON object"};
  for (const auto& [key, value] : j.items()) {
    if (auto error = read_field(key, value, o)) return *error;
  }
  if (o.shard_index >= o.shard_count) {
    return option_error("shard_index", "a whole number from 0 to shard_count - 1 (" +
                                           std::to_string(o.shard_count - 1) + "), got " +
                                           std::to_string(o.shard_index));
  }
  if (o.export_target && o.export_rank > o.top_k) {
    return option_error("export_rank", "a rank within top (" + std::to_string(o.top_k) + ")");
  }
  return o;
}

}  // namespace hetplan

#include "options.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace hetplan::wasm {

namespace {

constexpr int kMaxTop = 1000;
constexpr double kMaxIntervalMs = 60'000;
constexpr int kMaxSlices = 1000;
// Far more than the page's workers; a bound keeps a typo from asking for a billion empty shards.
constexpr int kMaxShards = 1024;
constexpr int kMaxTrials = 1'000'000;  // the CLI's bound for --trials

Error option_error(const std::string& field, const std::string& expected) {
  return Error{"options." + field + ": expected " + expected};
}

// A time option: a finite number of milliseconds from 0 to kMaxIntervalMs.
bool is_milliseconds(const nlohmann::json& value) {
  return value.is_number() && std::isfinite(value.get<double>()) && value.get<double>() >= 0 &&
         value.get<double>() <= kMaxIntervalMs;
}
constexpr const char* kMillisecondsExpected = "a number of milliseconds from 0 to 60000";

constexpr const char* kStrategiesExpected =
    "one or more of \"metis\", \"pruned\", \"both\" (metis and pruned), \"bounded\", \"bounded-pruned\" "
    "and \"optimal\", separated by commas (\"metis,bounded,optimal\")";

}  // namespace

Outcome<RunOptions> parse_run_options(std::string_view text) {
  RunOptions o;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return o;  // no options: the defaults
  // allow_exceptions=false: a parse error gives a discarded value instead of a throw.
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"options: expected a JSON object"};
  for (const auto& [key, value] : j.items()) {
    if (key == "strategy") {
      const std::string* s = value.get_ptr<const std::string*>();
      auto strategies = s == nullptr ? Outcome<std::vector<Strategy>>(Error{}) : parse_strategy_list(*s);
      if (!strategies) return option_error(key, kStrategiesExpected);
      o.strategies = std::move(*strategies);
    } else if (key == "cost_model") {
      const std::string* s = value.get_ptr<const std::string*>();
      if (s != nullptr && *s == "corrected") {
        o.cost_model = CostModel::kCorrected;
      } else if (s != nullptr && *s == "reference") {
        o.cost_model = CostModel::kReference;
      } else {
        return option_error(key, "\"corrected\" or \"reference\"");
      }
    } else if (key == "top") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
          value.get<std::int64_t>() > kMaxTop) {
        return option_error(key, "a whole number from 1 to " + std::to_string(kMaxTop));
      }
      o.top_k = static_cast<int>(value.get<std::int64_t>());
    } else if (key == "max_inter_plans") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1) {
        return option_error(key, "a whole number from 1");
      }
      o.max_inter_plans = value.get<std::int64_t>();
    } else if (key == "progress_interval_ms") {
      if (!is_milliseconds(value)) return option_error(key, kMillisecondsExpected);
      o.progress_interval_ms = value.get<double>();
    } else if (key == "progress_min_gap_ms") {
      if (!is_milliseconds(value)) return option_error(key, kMillisecondsExpected);
      o.progress_min_gap_ms = value.get<double>();
    } else if (key == "progress_slices") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
          value.get<std::int64_t>() > kMaxSlices) {
        return option_error(key, "a whole number from 0 to " + std::to_string(kMaxSlices));
      }
      o.progress_slices = static_cast<int>(value.get<std::int64_t>());
    } else if (key == "shard_count") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
          value.get<std::int64_t>() > kMaxShards) {
        return option_error(key, "a whole number from 1 to " + std::to_string(kMaxShards));
      }
      o.shard_count = static_cast<int>(value.get<std::int64_t>());
    } else if (key == "shard_index") {
      // Checked against shard_count below, once both are known (the fields come in any order).
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
          value.get<std::int64_t>() >= kMaxShards) {
        return option_error(key, "a whole number from 0 to shard_count - 1");
      }
      o.shard_index = static_cast<int>(value.get<std::int64_t>());
    } else if (key == "trials") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 ||
          value.get<std::int64_t>() > kMaxTrials) {
        return option_error(key, "a whole number from 1 to " + std::to_string(kMaxTrials));
      }
      o.trials = static_cast<int>(value.get<std::int64_t>());
    } else {
      // Strict on names: a misspelt option silently ignored would run a search the user did not ask for.
      return Error{"options: unknown field \"" + key +
                   "\" (known: strategy, cost_model, top, max_inter_plans, progress_interval_ms, "
                   "progress_slices, progress_min_gap_ms, shard_index, shard_count, trials)"};
    }
  }
  if (o.shard_index >= o.shard_count) {
    return option_error("shard_index", "a whole number from 0 to shard_count - 1 (" +
                                           std::to_string(o.shard_count - 1) + "), got " +
                                           std::to_string(o.shard_index));
  }
  return o;
}

}  // namespace hetplan::wasm

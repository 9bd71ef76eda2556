// `hetplan table1`: rebuild the inputs of the published table in memory, run both strategies on each row and
// print our steps and times beside the published ones (and the Python reference's times measured on this
// machine).
#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "hetplan/run.hpp"
#include "hetplan/synth.hpp"
#include "interrupt.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "run_settings.hpp"

namespace hetplan::cli {

namespace {

// The times beside each row of the published table (the rows themselves: kPublishedTable).
struct RowTimes {
  double paper_metis_ms;  // the paper's wall times, on an M1 laptop
  double paper_pruned_ms;
  std::optional<double> python_metis_ms;  // the Python reference measured on this machine, where we have it
  std::optional<double> python_pruned_ms;
};

constexpr std::size_t kRows = kPublishedTable.size();

const std::array<RowTimes, kRows>& row_times() {
  static const std::array<RowTimes, kRows> times = {{
      {95, 87, std::nullopt, std::nullopt},
      {17100, 8500, 21200, 8100},
      {860, 510, std::nullopt, std::nullopt},
      {757000, 408000, 847000, 471000},
  }};
  return times;
}

struct RowRun {
  int row = 0;
  const PublishedTableRow* published = nullptr;
  const RowTimes* times = nullptr;
  StrategyRun metis;
  StrategyRun pruned;  // after Ctrl-C during metis: not run, an empty result marked cancelled

  [[nodiscard]] bool cancelled() const { return metis.result.cancelled || pruned.result.cancelled; }
  [[nodiscard]] bool steps_match() const {
    return !cancelled() && metis.result.count == published->metis_steps &&
           pruned.result.count == published->pruned_steps;
  }
};

// Searches shorter than this are timed over kShortSearchTrials trials (a single one is timer, cache and
// thread start-up noise: row 1 gave speed-ups from 0.3x to 9x), longer ones once, unless --trials asks
// for more.
constexpr double kShortSearchMs = 10.0;
constexpr int kShortSearchTrials = 101;

// The median and quartiles of a run's trial times (linear interpolation between order statistics).
struct Spread {
  double q1 = 0;
  double median = 0;
  double q3 = 0;
};

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(at);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - static_cast<double>(lo));
}

Spread spread_of(const StrategyRun& run) {
  std::vector<double> t = run.trial_ms;
  std::sort(t.begin(), t.end());
  return {quantile(t, 0.25), quantile(t, 0.5), quantile(t, 0.75)};
}

// metis time / pruned time, when the two can be told apart: a single run each of a millisecond or more, or
// repeated trials whose middle halves (quartile to quartile) do not overlap.
std::optional<double> resolved_speedup(const RowRun& r) {
  if (r.cancelled()) return std::nullopt;
  const Spread m = spread_of(r.metis);
  const Spread p = spread_of(r.pruned);
  if (m.median <= 0 || p.median <= 0) return std::nullopt;
  const bool repeated = r.metis.trial_ms.size() > 1 || r.pruned.trial_ms.size() > 1;
  if (repeated && m.q1 <= p.q3 && p.q1 <= m.q3) return std::nullopt;
  if (!repeated && std::min(m.median, p.median) < kShortSearchMs) return std::nullopt;
  return m.median / p.median;
}

double reduction_percent(std::int64_t metis, std::int64_t pruned) {
  return metis == 0 ? 0.0 : 100.0 * static_cast<double>(metis - pruned) / static_cast<double>(metis);
}

double ratio(double a, double b) {
  return b > 0 ? a / b : 0.0;
}

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", v);
  return buf;
}

std::string times(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fx", v);
  return buf;
}

// How many times faster than a reference time ("1834x"): the figure the speed work is judged by.
std::string faster(double reference_ms, double ours_ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0fx", ratio(reference_ms, ours_ms));
  return buf;
}

std::string run_time(const StrategyRun& run) {
  return format_ms(run.elapsed_ms);
}

std::string match_text(const StrategyRun& run, std::int64_t published) {
  if (run.result.cancelled) return "cancelled";
  return run.result.count == published ? "yes" : "NO";
}

std::string best_cost(const StrategyRun& run) {
  return run.result.top.empty() ? std::string("-") : format_cost(run.result.top.front().cost);
}

std::string optional_ms(const std::optional<double>& ms) {
  return ms ? format_ms(*ms) : std::string("-");
}

void print_human(const std::vector<RowRun>& runs, const hetplan::RunOptions& settings, int threads_used) {
  std::cout
      << "Published table: GPT 1.5B arguments, gbs 128, max tp 128, max bs 128, variance 1, permute 128,\n"
      << "synthetic A100 + V100 (x3.5) profiles; cost model " << to_string(settings.cost_model) << ", "
      << threads_used << (threads_used == 1 ? " thread" : " threads") << ".\n"
      << "Steps are exact. Times are wall times here: ";
  if (settings.trials > 1) {
    std::cout << "the median of " << settings.trials << " trials of each search";
  } else {
    std::cout << "searches under " << kShortSearchMs << " ms are run " << kShortSearchTrials
              << " times and the median shown, longer ones once";
  }
  std::cout << ".\n\n";

  TextTable steps({"row", "layers", "GPUs", "strategy", "steps", "paper", "match", "time", "paper (M1)",
                   "vs paper", "Python here", "best cost"});
  for (const auto& r : runs) {
    const auto& p = *r.published;
    const auto& t = *r.times;
    const std::string gpus =
        std::to_string(p.gpus_per_type) + " A100 + " + std::to_string(p.gpus_per_type) + " V100";
    steps.add({std::to_string(r.row), std::to_string(p.layers), gpus, "metis",
               format_count(r.metis.result.count), format_count(p.metis_steps),
               match_text(r.metis, p.metis_steps), run_time(r.metis), format_ms(t.paper_metis_ms),
               r.metis.result.cancelled ? "-" : faster(t.paper_metis_ms, spread_of(r.metis).median),
               optional_ms(t.python_metis_ms), best_cost(r.metis)});
    steps.add({"", "", "", "pruned", format_count(r.pruned.result.count), format_count(p.pruned_steps),
               match_text(r.pruned, p.pruned_steps), run_time(r.pruned), format_ms(t.paper_pruned_ms),
               r.pruned.result.cancelled ? "-" : faster(t.paper_pruned_ms, spread_of(r.pruned).median),
               optional_ms(t.python_pruned_ms), best_cost(r.pruned)});
  }
  steps.print(std::cout);

  std::cout << "\nPruned against metis (speed-up = metis time / pruned time)\n\n";
  TextTable gains({"row", "step reduction", "paper", "speed-up", "paper (M1)", "Python here"});
  bool unresolved = false;
  for (const auto& r : runs) {
    const auto& p = *r.published;
    const auto& t = *r.times;
    const auto speedup = resolved_speedup(r);
    unresolved = unresolved || (!speedup && !r.cancelled());
    gains.add({std::to_string(r.row),
               r.cancelled() ? "-" : percent(reduction_percent(r.metis.result.count, r.pruned.result.count)),
               percent(reduction_percent(p.metis_steps, p.pruned_steps)), speedup ? times(*speedup) : "-",
               times(ratio(t.paper_metis_ms, t.paper_pruned_ms)),
               t.python_metis_ms ? times(ratio(*t.python_metis_ms, *t.python_pruned_ms)) : std::string("-")});
  }
  gains.print(std::cout);
  if (unresolved) {
    std::cout << "- the two times cannot be told apart: the middle halves of their trials overlap\n";
  }

  bool all_match = true;
  for (const auto& r : runs) all_match = all_match && r.steps_match();
  std::cout << '\n';
  if (interrupted()) {
    std::cout << "Cancelled (Ctrl-C): the counts of searches marked cancelled are partial.\n";
  } else {
    std::cout << (all_match ? "All step counts equal the published ones."
                            : "STEP COUNTS DIFFER from the published ones (rows marked NO).")
              << '\n';
  }
}

nlohmann::ordered_json timing_json(const StrategyRun& run) {
  const Spread s = spread_of(run);
  return {{"trials", run.trial_ms.size()}, {"median_ms", s.median}, {"q1_ms", s.q1}, {"q3_ms", s.q3}};
}

// R of one strategy's run, as the core prints it (its time: the median of the trials).
std::string result_text(const StrategyRun& run, const hetplan::RunOptions& settings) {
  RunReport one;
  one.runs.push_back(run);
  return run_report_json(one, settings).text;
}

// The row's JSON object, the results' text spliced in as the core printed them.
std::string row_json(const RowRun& r, const hetplan::RunOptions& settings) {
  const auto& p = *r.published;
  const auto& t = *r.times;
  nlohmann::ordered_json j;
  j["row"] = r.row;
  j["layers"] = p.layers;
  j["gpus_per_type"] = p.gpus_per_type;
  j["metis"] = nullptr;
  j["pruned"] = nullptr;
  j["timing"] = {{"metis", timing_json(r.metis)}, {"pruned", timing_json(r.pruned)}};
  j["step_reduction_percent"] = reduction_percent(r.metis.result.count, r.pruned.result.count);
  // null when the two times cannot be told apart (resolved_speedup)
  const auto speedup = resolved_speedup(r);
  j["speedup"] = speedup ? nlohmann::ordered_json(*speedup) : nlohmann::ordered_json(nullptr);
  j["steps_match"] = r.steps_match();
  j["published"] = {{"metis_steps", p.metis_steps},
                    {"pruned_steps", p.pruned_steps},
                    {"metis_ms", t.paper_metis_ms},
                    {"pruned_ms", t.paper_pruned_ms}};
  if (t.python_metis_ms) {
    j["python_here_ms"] = {{"metis", *t.python_metis_ms}, {"pruned", *t.python_pruned_ms}};
  } else {
    j["python_here_ms"] = nullptr;
  }
  std::string text = j.dump();
  const auto splice = [&text](const std::string& key, const std::string& value) {
    const std::string slot = "\"" + key + "\":null";
    text.replace(text.find(slot), slot.size(), "\"" + key + "\":" + value);
  };
  splice("metis", result_text(r.metis, settings));
  splice("pruned", result_text(r.pruned, settings));
  return text;
}

}  // namespace

// One strategy of one row: once, then again over kShortSearchTrials trials when that took under
// kShortSearchMs and --trials did not ask for a number.
Outcome<StrategyRun> time_search(const Case& c, Strategy s, hetplan::RunOptions settings, ProgressLine& line,
                                 const std::string& label) {
  settings.strategies = {s};
  auto run = run_strategies(c, settings, run_hooks(line, label));
  if (!run) return run.error();
  StrategyRun first = std::move(run->runs.front());
  if (interrupted() || settings.trials > 1 || first.elapsed_ms >= kShortSearchMs) return first;
  settings.trials = kShortSearchTrials;
  ProgressLine quiet(false);
  auto repeated = run_strategies(c, settings, run_hooks(quiet, label));
  if (!repeated || repeated->runs.front().result.cancelled)
    return first;  // Ctrl-C: the complete first run stands
  return std::move(repeated->runs.front());
}

int run_table1(const Table1Options& options) {
  hetplan::RunOptions settings = run_options_of(options.run);
  settings.top_k = 1;
  settings.timing = Timing::kMedian;
  ProgressLine line(stderr_is_terminal());

  std::vector<RowRun> runs;
  int threads_used = 1;
  for (const int row : options.rows) {
    if (row < 1 || row > static_cast<int>(kRows)) return usage_error("--rows: no row " + std::to_string(row));
    const auto index = static_cast<std::size_t>(row - 1);
    auto c = published_table_case(kPublishedTable[index]);
    if (!c) return usage_error("row " + std::to_string(row) + ": " + c.error().message);

    RowRun r;
    r.row = row;
    r.published = &kPublishedTable[index];
    r.times = &row_times()[index];
    r.pruned.result.strategy = Strategy::kPruned;
    r.pruned.result.cost_model = settings.cost_model;
    r.pruned.result.cancelled = true;  // until it runs
    for (const Strategy s : {Strategy::kMetis, Strategy::kPruned}) {
      auto run = time_search(*c, s, settings, line, "row " + std::to_string(row) + " ");
      if (!run) return usage_error("row " + std::to_string(row) + ": " + run.error().message);
      threads_used = std::max(threads_used, run->workers);
      (s == Strategy::kMetis ? r.metis : r.pruned) = std::move(*run);
      if (interrupted()) break;
    }
    runs.push_back(std::move(r));
    if (interrupted()) break;
  }

  if (options.run.json) {
    nlohmann::ordered_json j;
    j["cost_model"] = to_string(settings.cost_model);
    j["threads"] = threads_used;
    j["trials"] = settings.trials;
    std::string text = j.dump();
    text.pop_back();  // the closing brace: the rows follow, spliced
    text += ",\"rows\":[";
    for (std::size_t i = 0; i < runs.size(); ++i) text += (i > 0 ? "," : "") + row_json(runs[i], settings);
    std::cout << text << "]}\n" << std::flush;
  } else {
    print_human(runs, settings, threads_used);
  }
  if (interrupted()) return interrupted_exit();
  for (const auto& r : runs) {
    if (!r.steps_match()) return kExitFailed;
  }
  return kExitOk;
}

}  // namespace hetplan::cli

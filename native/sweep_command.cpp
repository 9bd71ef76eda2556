// `hetplan sweep`: one search per point of a grid over the input's numbers, the best plan of each as CSV
// or JSON (core: hetplan/sweep.hpp).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "files.hpp"
#include "hetplan/json_api.hpp"
#include "hetplan/sweep.hpp"
#include "progress.hpp"
#include "ranks.hpp"
#include "run_settings.hpp"

namespace hetplan::cli {

namespace {

std::string point_label(const std::vector<SweepAxis>& axes, const SweepPoint& point) {
  std::string label;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    label += (a == 0 ? "" : " ") + axes[a].path + "=" + sweep_value_text(point.values[a]);
  }
  return label;
}

}  // namespace

int run_sweep(const SweepOptions& options) {
  std::vector<SweepAxis> axes;
  for (const auto& text : options.vary) {
    auto axis = parse_sweep_axis(text);
    if (!axis) return usage_error(axis.error().message);
    axes.push_back(std::move(*axis));
  }
  // The folder of --out is checked before the searches, which may take long.
  if (const auto folder = std::filesystem::path(options.out).parent_path();
      !options.out.empty() && !folder.empty() && !std::filesystem::is_directory(folder)) {
    return usage_error("--out " + options.out + ": there is no folder '" + folder.string() +
                       "' to write into");
  }
  auto base = read_text_file(options.base, "case JSON");
  if (!base) return usage_error(base.error().message);
  auto points = sweep_points(*base, axes);
  if (!points) return usage_error(options.base + ": " + points.error().message);

  Ranks& ranks = process_ranks();
  hetplan::RunOptions run = run_options_of(options.run);
  const bool talk = ranks.rank() == 0;
  std::vector<SweepOutcome> outcomes;
  for (std::size_t i = 0; i < points->size(); ++i) {
    const SweepPoint& point = (*points)[i];
    const std::string label = point_label(axes, point);
    SweepOutcome outcome;
    if (!point.error.empty()) {
      outcome.error = point.error;
    } else if (auto c = case_from_json(point.case_json, label); !c) {
      outcome.error = c.error().message;
    } else {
      ProgressLine line(stderr_is_terminal() && talk);
      auto report = run_strategies(*c, run, run_hooks(line, "point " + std::to_string(i + 1) + ": ", ranks));
      if (report) {
        outcome.report = std::move(*report);
      } else {
        outcome.error = report.error().message;
      }
    }
    if (talk) {
      std::cerr << "point " << i + 1 << " of " << points->size() << " (" << label
                << "): " << (outcome.report ? "done" : outcome.error) << '\n';
    }
    outcomes.push_back(std::move(outcome));
    if (ranks.stopped()) break;
  }
  points->resize(outcomes.size());  // after Ctrl-C: the points searched
  const std::string csv = sweep_csv(axes, *points, outcomes);
  const std::string json = sweep_json(axes, *points, outcomes);
  std::cout << (options.run.json ? json + "\n" : csv) << std::flush;  // first: a failed write loses nothing
  if (!options.out.empty() && talk) {
    for (const auto& [path, text] :
         {std::pair{options.out + ".csv", csv}, std::pair{options.out + ".json", json + "\n"}}) {
      if (auto written = write_text_file(path, text); !written) return usage_error(written.error().message);
    }
  }
  if (ranks.stopped()) return interrupted_exit();
  const bool any_plan = std::any_of(outcomes.begin(), outcomes.end(), [](const SweepOutcome& o) {
    return o.report && std::any_of(o.report->runs.begin(), o.report->runs.end(),
                                   [](const StrategyRun& r) { return !r.result.top.empty(); });
  });
  // Every rank leaves with rank 0's code: only rank 0 holds the merged results (the others' are empty).
  return std::stoi(ranks.broadcast(std::to_string(any_plan ? kExitOk : kExitNoPlan)));
}

}  // namespace hetplan::cli

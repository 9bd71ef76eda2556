// `hetplan plan`: load a case, run the asked strategies, print tables or JSON.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "case_loader.hpp"
#include "commands.hpp"
#include "explain_report.hpp"
#include "hetplan/reasons.hpp"
#include "interrupt.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "run_settings.hpp"
#include "runner.hpp"

namespace hetplan::cli {

namespace {

// Exactly one way of giving the case, and the model options only with the separate files (a case folder
// brings its own args.json: silently overriding it would make runs hard to reproduce).
Outcome<Case> load_from_options(const PlanOptions& o) {
  const bool file_form = !o.hostfile.empty() || !o.clusterfile.empty() || !o.profiles.empty();
  const int forms = static_cast<int>(!o.case_dir.empty()) + static_cast<int>(!o.case_json.empty()) +
                    static_cast<int>(file_form);
  if (forms == 0) {
    return Error{
        "plan needs a case: --case DIR, --case-json FILE, or --hostfile F --clusterfile F --profiles DIR "
        "--num-layers N --gbs N"};
  }
  if (forms > 1)
    return Error{"give the case one way only: --case, --case-json, or --hostfile/--clusterfile/--profiles"};
  if (!file_form) {
    if (!o.file_form_options_given.empty()) {
      return Error{
          o.file_form_options_given.front() + " only goes with --hostfile/--clusterfile/--profiles (" +
          (o.case_dir.empty() ? "the case JSON" : "the case's args.json") + " sets the model values)"};
    }
    return o.case_dir.empty() ? load_case_json(o.case_json) : load_case_folder(o.case_dir);
  }
  const auto given = [&o](const std::string& name) {
    for (const auto& g : o.file_form_options_given) {
      if (g == name) return true;
    }
    return false;
  };
  if (o.hostfile.empty()) return Error{"--hostfile is required with --clusterfile/--profiles"};
  if (o.clusterfile.empty()) return Error{"--clusterfile is required with --hostfile/--profiles"};
  if (o.profiles.empty()) return Error{"--profiles is required with --hostfile/--clusterfile"};
  if (!given("--num-layers")) return Error{"--num-layers is required with --hostfile"};
  if (!given("--gbs")) return Error{"--gbs is required with --hostfile"};
  return load_case_files(o.hostfile, o.clusterfile, o.profiles, o.args);
}

}  // namespace

int run_plan(const PlanOptions& options) {
  if (auto bad = check_plan_requests(options); !bad.empty()) return usage_error(bad);
  auto c = load_from_options(options);
  if (!c) return usage_error(c.error().message);
  bool all_given = true;  // every plan asked for was explained or exported

  const std::vector<Strategy> strategies = strategies_of(options.run.strategy);
  RunSettings settings = settings_of(options.run);
  const bool progress = stderr_is_terminal();

  if (!options.run.json) {
    print_case_header(std::cout, *c);
    std::cout << '\n' << std::flush;
  }
  std::vector<TimedRun> runs;
  for (const Strategy s : strategies) {
    settings.label = to_string(s);
    settings.show_progress = progress;
    auto run = run_strategy(*c, s, settings);
    if (!run) return usage_error(run.error().message);
    if (!options.run.json) {
      print_run(std::cout, *run);
      std::cout << '\n';
      if (options.explain_rank > 0) {
        all_given = print_explanation(std::cout, *c, run->result, options.explain_rank) && all_given;
        std::cout << '\n';
      }
      if (!options.export_target.empty()) {
        all_given = print_export(std::cout, *c, run->result, options) && all_given;
        std::cout << '\n';
      }
      std::cout << std::flush;
    }
    runs.push_back(std::move(*run));
    if (interrupted()) break;  // Ctrl-C: what was found so far is printed, the strategies left are not run
  }
  if (!options.run.json) print_gaps(std::cout, runs);
  if (options.run.json) {
    nlohmann::ordered_json j = runs_json(runs, strategies.size() > 1);
    if (options.explain_rank > 0 || !options.export_target.empty()) {
      for (const auto& run : runs) {
        auto& r = strategies.size() == 1 ? j : j[to_string(run.result.strategy)];
        all_given = add_plan_requests_json(r, *c, run.result, options) && all_given;
      }
    }
    std::cout << j.dump() << '\n' << std::flush;
  }
  if (interrupted()) return interrupted_exit();
  if (!all_given) return kExitFailed;
  const bool no_plan =
      std::any_of(runs.begin(), runs.end(), [](const TimedRun& run) { return found_no_plan(run.result); });
  return no_plan ? kExitNoPlan : kExitOk;
}

}  // namespace hetplan::cli

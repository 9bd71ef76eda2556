// `hetplan merge`: the shard files of one search joined and printed as one run prints them.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "files.hpp"
#include "hetplan/reasons.hpp"
#include "hetplan/run.hpp"
#include "report.hpp"

namespace hetplan::cli {

int run_merge(const MergeOptions& options) {
  std::vector<ShardFile> files;
  for (const auto& name : options.files) {
    auto text = read_text_file(name, "shard file");
    if (!text) return usage_error(text.error().message);
    files.push_back({name, std::move(*text)});
  }
  auto merged = merge_shard_files(files);
  if (!merged) return usage_error(merged.error().message);
  const RunReport& report = merged->report;
  if (options.json) {
    std::cout << run_report_json(report, merged->options).text << '\n';
  } else {
    std::cout << merged->header << '\n';
    for (const auto& run : report.runs) {
      print_run(std::cout, run);
      std::cout << '\n';
    }
    print_gaps(std::cout, report);
  }
  std::cout << std::flush;
  const bool no_plan = std::any_of(report.runs.begin(), report.runs.end(),
                                   [](const StrategyRun& r) { return found_no_plan(r.result); });
  return no_plan ? kExitNoPlan : kExitOk;
}

}  // namespace hetplan::cli

// The human report: aligned tables of a run's counters and plans (the JSON one is the core's, run.hpp, so
// that the native and WASM faces print the same bytes apart from elapsed_ms).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/run.hpp"
#include "hetplan/search.hpp"

namespace hetplan::cli {

// A table whose columns are as wide as their widest cell; the first row is the header.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out, const std::string& indent = "") const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string format_ms(double ms);
std::string format_cost(double cost);

// "GPT, 32 GPUs (16 A100, 16 V100) on 8 nodes, 10 layers, gbs 128, 1234 inter-stage plans" and the case
// notes.
void print_case_header(std::ostream& out, const Case& c, std::int64_t inter_plans);

// Counters, time, missing profile entries and the top plans of one strategy.
void print_run(std::ostream& out, const StrategyRun& run);

// The top plans as an aligned table. A plan with launch warnings gets a "!" and its reasons below; a plan
// the reference's enumeration met twice (relabelled) is shown once, with a note.
void print_plans(std::ostream& out, const std::vector<PlanRecord>& plans, const std::string& indent);

// With the optimal strategy among the runs, how far each other strategy's best plan is above the optimum.
void print_gaps(std::ostream& out, const RunReport& report);

}  // namespace hetplan::cli

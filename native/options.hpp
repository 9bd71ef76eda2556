// What each subcommand was asked to do, filled by the argument parser (cli.cpp) and read by the commands.
// Keeping these plain structs lets the commands stay free of CLI11.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hetplan/parse.hpp"
#include "hetplan/search.hpp"

namespace hetplan::cli {

// Exit codes: the contract with scripts.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed =
    1;  // ran, but the outcome is a failure (table1: counts differ from the paper)
inline constexpr int kExitUsage = 2;   // bad usage or bad input
inline constexpr int kExitNoPlan = 3;  // plan: a search ran to its end and found no plan (its notes say why)

// Options shared by `plan` and `table1`.
struct RunOptions {
  std::string strategy = "both";  // metis | pruned | both
  std::string cost_model = "corrected";
  int top = 1;
  int trials = 1;
  int threads = 0;  // 0: all hardware threads
  bool json = false;
  std::int64_t max_inter_plans = kDefaultMaxInterPlans;  // larger cases are refused unless this is raised
  bool launchable_only = false;                          // plan only: keep plans without launch warnings
};

struct PlanOptions {
  std::string case_dir;
  std::string case_json;
  std::string hostfile;
  std::string clusterfile;
  std::string profiles;
  CaseArgs args;  // model values and bounds of the separate-files form
  // Names of the separate-files options that were given, to reject them next to --case / --case-json.
  std::vector<std::string> file_form_options_given;
  RunOptions run;
  // --explain [RANK]: 0 when not asked. --export TARGET [RANK]: empty target when not asked.
  int explain_rank = 0;
  std::string export_target;
  int export_rank = 1;
  bool untied_embeddings = false;
  // --shard I/N and --out FILE: search shard I of N and write it as a shard file (run.hpp) for `merge`.
  int shard_index = 0;
  int shard_count = 1;
  std::string out;
};

struct SweepOptions {
  std::string base;               // a case JSON or a synthetic spec
  std::vector<std::string> vary;  // PATH=VALUES, one per axis
  RunOptions run;
  std::string out;  // PREFIX: writes PREFIX.csv and PREFIX.json
};

struct MergeOptions {
  std::vector<std::string> files;
  bool json = false;
};

struct GenProfilesOptions {
  int layers = 0;
  int max_bs = 0;
  std::string out;
  std::vector<std::string> types;  // NAME=FACTOR; empty: A100 and V100 x3.5
};

struct GenHostfileOptions {
  int gpus_per_type = 0;
  std::string out;  // empty: stdout
};

struct Table1Options {
  std::vector<int> rows = {1, 2, 3};
  RunOptions run;
};

}  // namespace hetplan::cli

// The subcommands. Each returns the process exit code and writes its own messages.
#pragma once

#include <string>

#include "options.hpp"

namespace hetplan::cli {

int run_plan(const PlanOptions& options);
int run_gen_profiles(const GenProfilesOptions& options);
int run_gen_hostfile(const GenHostfileOptions& options);
int run_table1(const Table1Options& options);
int run_merge(const MergeOptions& options);
int run_sweep(const SweepOptions& options);

// "hetplan: error: <message>" on stderr; returns kExitUsage so callers can `return usage_error(...)`.
int usage_error(const std::string& message);

// After Ctrl-C, once the results so far are printed: says so on stderr and returns kExitInterrupted.
int interrupted_exit();

}  // namespace hetplan::cli

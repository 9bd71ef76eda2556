// The subcommands. Each returns the process exit code and writes its own messages.
#pragma once

#include <string>

#include "options.hpp"

namespace hetplan::cli {

int run_plan(const PlanOptions& options);
int run_gen_profiles(const GenProfilesOptions& options);
int run_gen_hostfile(const GenHostfileOptions& options);
int run_table1(const Table1Options& options);

// "hetplan: error: <message>" on stderr; returns kExitUsage so callers can `return usage_error(...)`.
int usage_error(const std::string& message);

// A search that ended in an error: "interrupted" (exit 130) after Ctrl-C, else a usage error (the input was
// bad).
int search_error(const std::string& message);

}  // namespace hetplan::cli

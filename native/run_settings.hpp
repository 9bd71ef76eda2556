// From the command line's run flags to the core's run options and the hooks that run them here: the steady
// clock, the search on threads, the progress line on stderr, and Ctrl-C as the stop.
#pragma once

#include <string>

#include "hetplan/run.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "ranks.hpp"

namespace hetplan::cli {

// The flags, which their validators have checked.
hetplan::RunOptions run_options_of(const RunOptions& flags);

// Hooks for run_strategies: the search on `ranks` (this process's threads, or MPI ranks), Ctrl-C as they
// agree on it; the progress line (drawn when `line` is enabled) is labelled by `label_prefix` and the
// strategy's name.
RunHooks run_hooks(ProgressLine& line, const std::string& label_prefix = "", Ranks& ranks = single_process());

}  // namespace hetplan::cli

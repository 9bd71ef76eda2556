// Ctrl-C during a search: the first SIGINT asks the running search to stop (the core checks its progress
// callback after every inter-stage plan), so the command can erase its progress line and leave with a message
// instead of dying mid-line. A second SIGINT ends the process at once.
#pragma once

namespace hetplan::cli {

inline constexpr int kExitInterrupted = 130;  // the shell's convention for SIGINT

void install_interrupt_handler();
bool interrupted();

}  // namespace hetplan::cli

// The command line: declares every subcommand and option (names are a contract), parses argv, and hands the
// filled options to the command that runs them.
#pragma once

namespace hetplan::cli {

int run_cli(int argc, char** argv);

}  // namespace hetplan::cli

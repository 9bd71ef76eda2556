// Runs the hetplan binary in a child process and captures what it prints, for command-level tests.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace hetplan::cli_test {

struct CommandResult {
  int exit_code = -1;  // 128 + signal number when the process was killed (a crash)
  std::string out;
  std::string err;
};

// Runs HETPLAN_BIN with `args`, stdout and stderr captured through files in `scratch`. With
// interrupt_after_ms
// >= 0, the process gets a SIGINT (Ctrl-C) that many milliseconds after it starts.
CommandResult run_hetplan(const std::vector<std::string>& args, const std::filesystem::path& scratch,
                          int interrupt_after_ms = -1);

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

// What `plan` prints (tables or JSON) with every time figure ("elapsed_ms":0.5, "5.9 ms, 2 threads")
// blanked: the only thing two runs of one search may differ in.
std::string times_blanked(const std::string& text);

// The golden cases, or an empty path when ../shared is not next to the source tree.
std::filesystem::path golden_dir();

// A fresh scratch folder per test, removed afterwards.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  CommandResult run(const std::vector<std::string>& args, int interrupt_after_ms = -1) {
    return run_hetplan(args, scratch_ / ".capture", interrupt_after_ms);
  }
  // A case folder for row 1 of the published table (10 layers, 16 A100 + 16 V100), built from the CLI's own
  // generators, so these tests do not need ../shared.
  std::filesystem::path make_row1_case(const std::string& name);

  std::filesystem::path scratch_;
};

// The clusterfile of the table's experiments (the reference ships one with these four types).
extern const char* const kTableClusterfile;

}  // namespace hetplan::cli_test

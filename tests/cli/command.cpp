#include "command.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace hetplan::cli_test {

namespace fs = std::filesystem;

const char* const kTableClusterfile = R"({
  "0.0.0.1": {"instance_type": "V100", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 16},
  "0.0.0.2": {"instance_type": "P100", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 15},
  "0.0.0.3": {"instance_type": "T4", "inter_bandwidth": 10, "intra_bandwidth": 50, "memory": 15},
  "0.0.0.4": {"instance_type": "A100", "inter_bandwidth": 10, "intra_bandwidth": 46, "memory": 80}
}
)";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

CommandResult run_hetplan(const std::vector<std::string>& args, const fs::path& scratch,
                          int interrupt_after_ms) {
  fs::create_directories(scratch);
  const fs::path out_path = scratch / "stdout";
  const fs::path err_path = scratch / "stderr";

  std::vector<std::string> argv_text;
  argv_text.emplace_back(HETPLAN_BIN);
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_text.size() + 1);
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);

  CommandResult result;
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    result.err = "posix_spawn failed for " + argv_text[0];
    return result;
  }
  if (interrupt_after_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(interrupt_after_ms));
    kill(pid, SIGINT);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

std::string times_blanked(const std::string& text) {
  static const std::regex json_ms(R"("elapsed_ms":[-0-9.e+]+)");
  // format_ms (native/report.cpp) gives "0.123 ms", "12.3 ms" or "1.23 s".
  static const std::regex table_ms(R"([0-9.]+ m?s, [0-9]+ (threads?|shards?))");
  return std::regex_replace(std::regex_replace(text, json_ms, "\"elapsed_ms\":T"), table_ms, "T");
}

fs::path golden_dir() {
  const fs::path dir = fs::path(HETPLAN_SHARED_DIR) / "golden";
  std::error_code ec;
  return fs::is_directory(dir, ec) ? dir : fs::path();
}

void CliTest::SetUp() {
  std::string pattern = (fs::temp_directory_path() / "hetplan-cli-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  scratch_ = pattern;
}

void CliTest::TearDown() {
  std::error_code ec;
  fs::remove_all(scratch_, ec);
}

fs::path CliTest::make_row1_case(const std::string& name) {
  fs::path dir = scratch_ / name;
  fs::create_directories(dir);
  const auto gen = run({"gen-hostfile", "--gpus-per-type", "16", "--out", (dir / "hostfile").string()});
  EXPECT_EQ(gen.exit_code, 0) << gen.err;
  write_file(dir / "clusterfile.json", kTableClusterfile);
  write_file(dir / "synthetic.json", R"({"layers": 10, "max_batch_size": 128})");
  write_file(dir / "args.json", R"({"model_name": "GPT", "model_size": "1.5B", "num_layers": 10, "gbs": 128,
    "hidden_size": 4096, "sequence_length": 1024, "vocab_size": 51200, "attention_head_size": 32,
    "max_profiled_tp_degree": 128, "max_profiled_batch_size": 128, "min_group_scale_variance": 1,
    "max_permute_len": 128})");
  return dir;
}

}  // namespace hetplan::cli_test

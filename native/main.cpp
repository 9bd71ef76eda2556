// hetplan: a planner for training LLMs on clusters of mixed GPUs (the native command).
#include <exception>
#include <iostream>

#include "cli.hpp"
#include "heap_settings.hpp"
#include "ranks.hpp"

namespace {

int run(int argc, char** argv) {
  if (auto failed = hetplan::cli::start_ranks(argc, argv); !failed.empty()) {
    std::cerr << "hetplan: error: " << failed << '\n';
    return 2;
  }
  // Under MPI, rank 0 prints the results; the other ranks' output would repeat or interleave with it.
  if (hetplan::cli::process_ranks().rank() != 0) std::cout.rdbuf(nullptr);
  const int code = hetplan::cli::run_cli(argc, argv);
  hetplan::cli::finish_ranks();
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  hetplan::native::keep_freed_memory_for_reuse();
  // Nothing may end the process with an abort: anything thrown that a command did not expect (out of memory,
  // a stream failure) still leaves with a message and a non-zero code.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "hetplan: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "hetplan: internal error\n";
  }
  return 1;
}

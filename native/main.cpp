// hetplan: a planner for training LLMs on clusters of mixed GPUs (the native command).
#include <exception>
#include <iostream>

#include "cli.hpp"
#include "heap_settings.hpp"

int main(int argc, char** argv) {
  hetplan::native::keep_freed_memory_for_reuse();
  // Nothing may end the process with an abort: anything thrown that a command did not expect (out of memory,
  // a stream failure) still leaves with a message and a non-zero code.
  try {
    return hetplan::cli::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "hetplan: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "hetplan: internal error\n";
  }
  return 1;
}

// One process: the search on this process's threads, Ctrl-C read directly.
#include "interrupt.hpp"
#include "ranks.hpp"
#include "thread_search.hpp"

namespace hetplan::cli {

SearchRunner Ranks::searcher() {
  return search_on_threads;
}

bool Ranks::stopped() {
  return interrupted();
}

Ranks& single_process() {
  static Ranks single;
  return single;
}

#ifndef HETPLAN_MPI
Ranks& process_ranks() {
  return single_process();
}

std::string start_ranks(int& /*argc*/, char**& /*argv*/) {
  return {};
}

void finish_ranks() {}
#endif

}  // namespace hetplan::cli

// Runs the search of one row of the published table N times in a loop and prints the mean time: the figure
// to read under `valgrind --tool=callgrind` (instructions per search = run_search's inclusive count / N),
// and a warm wall time without Google Benchmark's machinery. Not run in CI.
//
// usage: hetplan_search_loop ROW STRATEGY N [I/K]     ROW 1-4, STRATEGY metis|pruned, N searches, and
//        optionally only shard I of K (to see how evenly --threads K divides the work)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "heap_settings.hpp"
#include "hetplan/search.hpp"
#include "hetplan/synth.hpp"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: hetplan_search_loop ROW STRATEGY N [I/K]   (ROW 1-4, STRATEGY metis|pruned, N >= 1,\n"
               "       shard I of K, 0 <= I < K)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) return usage();
  hetplan::native::keep_freed_memory_for_reuse();  // as the command does
  const int row = std::atoi(argv[1]);
  const std::string strategy = argv[2];
  const int n = std::atoi(argv[3]);
  if (row < 1 || row > 4 || (strategy != "metis" && strategy != "pruned") || n < 1) return usage();
  hetplan::SearchRequest request;
  if (argc == 5 && std::sscanf(argv[4], "%d/%d", &request.shard_index, &request.shard_count) != 2)
    return usage();
  auto c = hetplan::published_table_case(hetplan::kPublishedTable[static_cast<std::size_t>(row - 1)]);
  if (!c) {
    std::fprintf(stderr, "%s\n", c.error().message.c_str());
    return 1;
  }
  request.strategy = strategy == "metis" ? hetplan::Strategy::kMetis : hetplan::Strategy::kPruned;
  std::int64_t steps = 0;
  std::int64_t inter_plans = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    auto result = hetplan::run_search(*c, request);
    if (!result) {
      std::fprintf(stderr, "%s\n", result.error().message.c_str());
      return 1;
    }
    steps = result->count;
    inter_plans = result->inter_plans;
  }
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
  std::printf("row %d %s, shard %d/%d: %lld inter-stage plans, %lld steps, %d searches, mean %.4f ms\n", row,
              strategy.c_str(), request.shard_index, request.shard_count, static_cast<long long>(inter_plans),
              static_cast<long long>(steps), n, elapsed.count() / n);
  return 0;
}

// Search time on the rows of the published table (synthetic GPT profiles, A100 + V100, gbs 128), both
// strategies, one thread. Row 4 takes about a second per search, so it is a separately named benchmark that
// can be filtered out: --benchmark_filter=Table1Row/ runs rows 1-3 only.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "heap_settings.hpp"
#include "hetplan/search.hpp"
#include "hetplan/synth.hpp"

namespace {

using hetplan::Case;

// Cases are built once per row: parsing the synthetic profiles is not part of the search.
const Case& table_case(int row) {
  static std::map<int, std::unique_ptr<Case>> cases;
  auto& slot = cases[row];
  if (!slot) {
    auto c = hetplan::published_table_case(hetplan::kPublishedTable[static_cast<std::size_t>(row)]);
    if (!c) std::abort();
    slot = std::make_unique<Case>(std::move(*c));
  }
  return *slot;
}

void search(benchmark::State& state, int row, hetplan::Strategy strategy) {
  const Case& c = table_case(row);
  hetplan::SearchRequest request;
  request.strategy = strategy;
  request.cost_model = hetplan::CostModel::kCorrected;
  const auto& published = hetplan::kPublishedTable[static_cast<std::size_t>(row)];
  const std::int64_t expected =
      strategy == hetplan::Strategy::kMetis ? published.metis_steps : published.pruned_steps;
  for (auto _ : state) {
    auto result = hetplan::run_search(c, request);
    if (!result || result->count != expected) {
      state.SkipWithError("the search did not take the published number of steps");
      return;
    }
    benchmark::DoNotOptimize(result->count);
  }
  state.counters["steps"] = static_cast<double>(expected);
}

void Table1Row(benchmark::State& state) {
  search(state, static_cast<int>(state.range(0)) - 1,
         state.range(1) == 0 ? hetplan::Strategy::kMetis : hetplan::Strategy::kPruned);
}

void Table1Row4(benchmark::State& state) {
  search(state, 3, state.range(0) == 0 ? hetplan::Strategy::kMetis : hetplan::Strategy::kPruned);
}

}  // namespace

// Arguments: row (1-3), strategy (0 metis, 1 pruned).
BENCHMARK(Table1Row)
    ->ArgsProduct({{1, 2, 3}, {0, 1}})
    ->ArgNames({"row", "pruned"})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(Table1Row4)->Arg(0)->Arg(1)->ArgName("pruned")->Unit(benchmark::kMillisecond)->Iterations(3);

int main(int argc, char** argv) {
  hetplan::native::keep_freed_memory_for_reuse();  // as the command does
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

// The strategy x trials loop of a run: the refusal of searches too large, progress at the options' cadence,
// the time of each trial, and the stop the face asks for.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "hetplan/run.hpp"
#include "run/search_size.hpp"
#include "run/throttle.hpp"

namespace hetplan {

namespace {

// Milliseconds from `start` to `end`, to the nanosecond: a clock that counts from the machine's start puts
// digits of rounding noise in the difference ("0.19327500462532043" for 193,275 ns).
double since(double start_ms, double end_ms) {
  return std::round((end_ms - start_ms) * 1e6) / 1e6;
}

double median_of(std::vector<double> ms) {
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  const std::size_t mid = ms.size() / 2;
  return ms.size() % 2 == 1 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
}

double mean_of(const std::vector<double>& ms) {
  double total = 0;
  for (const double t : ms) total += t;
  return ms.empty() ? 0 : total / static_cast<double>(ms.size());
}

SearchRequest request_of(const RunOptions& o, Strategy strategy) {
  SearchRequest request;
  request.strategy = strategy;
  request.cost_model = o.cost_model;
  request.top_k = o.top_k;
  request.max_inter_plans = o.max_inter_plans;
  request.launchable_only = o.launchable_only;
  request.shard_index = o.shard_index;
  request.shard_count = o.shard_count;
  return request;
}

// The final counts of a result as a progress event: the bounded strategies count the inter-stage plans
// ruled out by the bound as done.
SearchProgress final_progress(const SearchResult& r, std::int64_t inter_total) {
  SearchProgress p;
  p.steps = r.count;
  p.inter_done = r.inter_plans + r.pruned_by_bound;
  p.inter_total = inter_total;
  p.costed = r.costed_plans;
  p.has_best = !r.top.empty();
  if (p.has_best) p.best_cost = r.top.front().cost;
  return p;
}

// Sends the run so far to hooks.so_far when the search's top K differs from the one sent last.
class SoFarSender {
 public:
  SoFarSender(const Case& c, const RunReport& done, const RunHooks& hooks)
      : c_(c), done_(done), hooks_(hooks) {}

  void maybe_send(const SearchProgress& p, const StrategyRun& run, double elapsed_ms) {
    if (!hooks_.so_far || p.so_far == nullptr || p.top_so_far == nullptr || same_as_sent(*p.top_so_far))
      return;
    sent_.clear();
    for (const auto& plan : *p.top_so_far) sent_.emplace_back(plan.inter_plan_index, plan.intra_index);
    RunReport report = done_;
    StrategyRun current = run;
    current.result = *p.so_far;
    current.result.top = *p.top_so_far;
    current.result.cancelled = true;
    flag_launch_issues(c_, current.result);
    current.elapsed_ms = elapsed_ms;
    report.runs.push_back(std::move(current));
    hooks_.so_far(report);
  }

 private:
  // A plan is named by its place in the enumeration: the same two indexes are the same plan and cost.
  [[nodiscard]] bool same_as_sent(const std::vector<PlanRecord>& top) const {
    if (top.size() != sent_.size()) return false;
    for (std::size_t i = 0; i < top.size(); ++i) {
      if (sent_[i] != std::pair{top[i].inter_plan_index, top[i].intra_index}) return false;
    }
    return true;
  }

  const Case& c_;
  const RunReport& done_;
  const RunHooks& hooks_;
  std::vector<std::pair<std::int64_t, std::int64_t>> sent_;
};

// One strategy over its trials. Events go out during the first trial only: the repeats of a timing run
// search the same plans again. `done` holds the strategies run before this one.
Outcome<StrategyRun> run_one(const Case& c, const RunOptions& o, Strategy strategy, std::int64_t inter_total,
                             const RunReport& done, const RunHooks& hooks) {
  const auto& search = hooks.search;
  const auto stopped = [&hooks] { return hooks.stop && hooks.stop(); };
  StrategyRun run;
  run.workers = workers_for(strategy, inter_total, o.threads);
  // The bounded strategies skip most inter-stage plans: neither the limit nor the estimate applies to them.
  if (!uses_bounds(strategy)) {
    if (auto refused = internal::refuse_by_size(inter_total, run.workers, o)) {
      return *refused;
    }
  }
  const SearchRequest request = request_of(o, strategy);
  const auto emit = [&](const SearchProgress& p, double elapsed_ms, bool final) {
    if (!hooks.progress) return;
    RunProgress e{strategy, p, elapsed_ms, final};
    e.progress.inter_total = inter_total;
    hooks.progress(e);
  };
  // A first event before any work, so that a face can show the size of the search at once; the time of the
  // search starts after it.
  emit(SearchProgress{}, 0, false);
  SoFarSender so_far(c, done, hooks);
  for (int t = 0; t < std::max(1, o.trials); ++t) {
    const double start = hooks.now_ms();
    const ProgressCadence& cadence = o.progress;
    internal::Throttle throttle(cadence.interval_ms, cadence.slices, cadence.min_gap_ms, cadence.clock_stride,
                                inter_total);
    throttle.due([start] { return start; }, 0);  // the event before the work was the first
    const bool first = t == 0;
    const ProgressFn report = [&](const SearchProgress& p) {
      if (stopped()) return false;  // the search stops after its current inter-stage plan
      if (first && throttle.due(hooks.now_ms, p.inter_done)) {
        const double elapsed = since(start, hooks.now_ms());
        so_far.maybe_send(p, run, elapsed);
        emit(p, elapsed, false);
      }
      return true;
    };
    auto result = search ? search(c, request, run.workers, report) : run_search(c, request, report);
    run.trial_ms.push_back(since(start, hooks.now_ms()));
    if (!result) {
      if (result.error().kind != ErrorKind::kTooLarge) return result.error();
      // The core's own count check (a caller that skipped the estimate): the same message as above.
      return *internal::refuse_by_size(result.error().inter_plans, run.workers, o);
    }
    if (first || !result->cancelled) run.result = std::move(*result);
    if (stopped()) break;
  }
  run.elapsed_ms = o.timing == Timing::kMedian ? median_of(run.trial_ms) : mean_of(run.trial_ms);
  emit(final_progress(run.result, inter_total), run.elapsed_ms, true);
  return run;
}

}  // namespace

int workers_for(Strategy strategy, std::int64_t inter_plans, int threads) {
  // The bounded strategies run on one worker: their counts depend on the order of their work.
  if (uses_bounds(strategy)) return 1;
  // More workers than inter-stage plans would only start idle ones.
  return static_cast<int>(std::clamp<std::int64_t>(inter_plans, 1, std::max(1, threads)));
}

SearchProgress combine_progress(const std::vector<SearchProgress>& workers) {
  SearchProgress total;
  for (const auto& s : workers) {
    total.steps += s.steps;
    total.inter_done += s.inter_done;
    total.inter_total = std::max(total.inter_total, s.inter_total);
    total.costed += s.costed;
    if (s.has_best && (!total.has_best || s.best_cost < total.best_cost)) {
      total.has_best = true;
      total.best_cost = s.best_cost;
    }
  }
  return total;
}

std::optional<Error> run_options_problem(const RunOptions& options) {
  for (const Strategy strategy : options.strategies) {
    if (auto problem = request_problem(request_of(options, strategy))) return problem;
  }
  return std::nullopt;
}

Outcome<RunReport> run_strategies(const Case& c, const RunOptions& options, const RunHooks& hooks) {
  RunReport report;
  report.keyed = options.strategies.size() > 1;
  const std::int64_t inter_total = options.inter_plans ? *options.inter_plans : count_inter_stage_plans(c);
  // A strategy refused for its size is refused before any runs: a run does all it was asked or nothing.
  if (auto problem = run_options_problem(options)) return *problem;
  for (const Strategy strategy : options.strategies) {
    if (uses_bounds(strategy)) continue;
    if (auto refused = internal::refuse_by_size(
            inter_total, workers_for(strategy, inter_total, options.threads), options)) {
      return *refused;
    }
  }
  for (const Strategy strategy : options.strategies) {
    auto run = run_one(c, options, strategy, inter_total, report, hooks);
    if (!run) return run.error();
    if (hooks.finished) hooks.finished(*run);
    report.runs.push_back(std::move(*run));
    // A stop: what was found so far is kept, the strategies left are not run.
    if (hooks.stop && hooks.stop()) break;
  }
  return report;
}

std::optional<double> optimum_of(const RunReport& report) {
  for (const auto& run : report.runs) {
    if (run.result.strategy == Strategy::kOptimal && !run.result.cancelled && !run.result.top.empty()) {
      return run.result.top.front().cost;
    }
  }
  return std::nullopt;
}

}  // namespace hetplan

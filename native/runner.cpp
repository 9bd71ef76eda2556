#include "runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "interrupt.hpp"
#include "progress.hpp"
#include "search_size.hpp"

namespace hetplan::cli {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A worker's latest progress, on a cache line of its own (64 bytes on the machines this runs on). Workers
// publish after every inter-stage plan. Behind one lock shared by all of them, that lock's cache line moved
// between the cores on every plan: row 4's pruned search took 72-76 ms on two threads where each half alone
// takes 62 ms; 68 ms with a line per worker. Only the waiting thread's reads, every 200 ms, still cross.
struct alignas(64) ProgressSlot {
  std::mutex mutex;
  SearchProgress progress;
};

// What the workers share with the thread that waits for them: their progress, their results and how many
// have finished (results and the count are written once per worker, under `mutex`).
struct Board {
  std::vector<ProgressSlot> slots;
  std::mutex mutex;
  std::condition_variable finished_cv;
  std::vector<std::optional<Outcome<SearchResult>>> results;
  int finished = 0;
  std::atomic<bool> abandon{false};  // set when not every worker could be started
  // The first device-group list of the next chunk a worker claims. Claimed work rather than fixed shards: the
  // two CPUs of a shared virtual machine often run at different speeds (1.5x apart on this project's
  // machines), and a fixed half each waited for the slower one.
  alignas(64) std::atomic<std::int64_t> next_list{0};
};

// Device-group lists per claim: small enough to even out the end of a search, large enough that claims are
// rare (row 4 of the table has 8,310 lists).
constexpr std::int64_t kListsPerClaim = 16;

// The workers' progress so far, combined.
SearchProgress progress_so_far(Board& board) {
  std::vector<SearchProgress> each;
  each.reserve(board.slots.size());
  for (auto& slot : board.slots) {
    const std::lock_guard lock(slot.mutex);
    each.push_back(slot.progress);
  }
  return combine_progress(each);
}

// A search on the calling thread: with one thread a worker thread would only add its start and the wake-up of
// the waiting thread, which weigh on small searches (row 1 of the table searches for half a millisecond). The
// progress line is drawn from the progress callback, at most every 200 ms as the waiting thread would.
Outcome<SearchResult> run_here(const Case& c, const SearchRequest& base, ProgressLine& line,
                               const std::string& label, Clock::time_point started) {
  auto last_drawn = started;
  const ProgressFn report = [&](const SearchProgress& p) {
    const auto now = Clock::now();
    if (now - last_drawn >= std::chrono::milliseconds(200)) {
      last_drawn = now;
      line.show(label, p, ms_since(started) / 1000.0);
    }
    return !interrupted();  // false stops the search after the current inter-stage plan
  };
  return run_search(c, base, report);
}

// One search shared by `threads` workers, each claiming chunks of device-group lists as it goes; the calling
// thread waits and draws the progress line meanwhile.
Outcome<SearchResult> run_on_threads(const Case& c, const SearchRequest& base, int threads, int top_k,
                                     ProgressLine& line, const std::string& label,
                                     Clock::time_point started) {
  Board board;
  board.slots = std::vector<ProgressSlot>(static_cast<std::size_t>(threads));
  board.results.resize(static_cast<std::size_t>(threads));

  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  const auto worker = [&c, &base, &board](int i) {
    SearchRequest request = base;
    request.claim = [&board] { return board.next_list.fetch_add(kListsPerClaim, std::memory_order_relaxed); };
    request.claim_lists = kListsPerClaim;
    const auto slot = static_cast<std::size_t>(i);
    const ProgressFn report = [&board, slot](const SearchProgress& p) {
      {
        const std::lock_guard lock(board.slots[slot].mutex);
        board.slots[slot].progress = p;
      }
      // false stops this worker's search after the current inter-stage plan
      return !interrupted() && !board.abandon.load();
    };
    // An exception escaping a std::thread would terminate the program: turn it into an error instead.
    std::optional<Outcome<SearchResult>> outcome;
    try {
      outcome.emplace(run_search(c, request, report));
    } catch (const std::exception& e) {
      outcome.emplace(Error{std::string("search failed: ") + e.what()});
    } catch (...) {
      outcome.emplace(Error{"search failed: unknown exception"});
    }
    const std::lock_guard lock(board.mutex);
    board.results[slot] = std::move(outcome);
    ++board.finished;
    board.finished_cv.notify_one();
  };
  for (int i = 0; i < threads; ++i) {
    try {
      workers.emplace_back(worker, i);
    } catch (const std::system_error& e) {
      // Out of threads (a process limit): stop the ones running, wait for them, and say so.
      board.abandon = true;
      for (auto& w : workers) w.join();
      return Error{"cannot start " + std::to_string(threads) + " threads (" + e.what() +
                   "); try fewer with --threads"};
    }
  }

  {
    std::unique_lock lock(board.mutex);
    while (board.finished < threads) {
      board.finished_cv.wait_for(lock, std::chrono::milliseconds(200));
      lock.unlock();
      line.show(label, progress_so_far(board), ms_since(started) / 1000.0);
      lock.lock();
    }
  }
  for (auto& w : workers) w.join();

  std::vector<SearchResult> shards;
  shards.reserve(board.results.size());
  for (auto& r : board.results) {
    if (!r->ok()) return r->error();  // the first failing worker in index order: deterministic
    shards.push_back(std::move(r->value()));
  }
  return merge_results(shards, top_k);
}

}  // namespace

int default_thread_count() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

Outcome<TimedRun> run_strategy(const Case& c, Strategy strategy, const RunSettings& settings) {
  SearchRequest base;
  base.strategy = strategy;
  base.cost_model = settings.cost_model;
  base.top_k = settings.top_k;
  base.max_inter_plans = settings.max_inter_plans;
  base.launchable_only = settings.launchable_only;

  // More threads than inter-stage plans would only start idle ones.
  const std::int64_t inter_plans = count_inter_stage_plans(c);
  // The bounded strategies run on one thread: their counts depend on the order of their work.
  const int threads =
      uses_bounds(strategy)
          ? 1
          : static_cast<int>(std::clamp<std::int64_t>(inter_plans, 1, std::max(1, settings.threads)));
  // The bounded strategies skip most inter-stage plans: neither the limit nor the estimate applies to them.
  if (!uses_bounds(strategy)) {
    if (auto refused = longer_than_a_day(inter_plans, threads)) return *refused;
  }
  const int trials = std::max(1, settings.trials);

  ProgressLine line(settings.show_progress);
  TimedRun run;
  run.threads_used = threads;
  for (int t = 0; t < trials; ++t) {
    const auto started = Clock::now();
    auto result = threads == 1
                      ? run_here(c, base, line, settings.label, started)
                      : run_on_threads(c, base, threads, settings.top_k, line, settings.label, started);
    run.trial_ms.push_back(ms_since(started));
    if (!result) {
      if (result.error().kind == ErrorKind::kTooLarge) return over_limit_error(result.error(), threads);
      return result.error();
    }
    run.result = std::move(*result);
    if (interrupted()) break;
  }
  line.clear();
  run.trials = static_cast<int>(run.trial_ms.size());
  double total_ms = 0;
  for (const double ms : run.trial_ms) total_ms += ms;
  run.mean_ms = total_ms / run.trials;
  return run;
}

}  // namespace hetplan::cli

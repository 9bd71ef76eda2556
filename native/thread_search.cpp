#include "thread_search.hpp"

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

#include "hetplan/run.hpp"

namespace hetplan::cli {

namespace {

// A worker's latest progress, on a cache line of its own (64 bytes on the machines this runs on). Workers
// publish after every inter-stage plan: behind one lock shared by all of them, that lock's cache line would
// move between the cores on every plan (docs/performance.md, "What made the difference", item 2). Only the
// waiting thread's reads, every 200 ms, still cross.
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

// One search shared by `threads` workers, each claiming chunks of device-group lists as it goes; the calling
// thread waits and draws the progress line meanwhile.
Outcome<SearchResult> run_on_threads(const Case& c, const SearchRequest& base, int threads,
                                     const ProgressFn& progress) {
  Board board;
  board.slots = std::vector<ProgressSlot>(static_cast<std::size_t>(threads));
  board.results.resize(static_cast<std::size_t>(threads));

  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  const auto worker = [&c, &base, &board](int i) {
    SearchRequest request = base;
    if (base.claim) {
      // The caller's source of chunks (MPI ranks share one), called from every worker: it is thread-safe.
    } else if (base.shard_count > 1) {
      // A fixed shard (a shard file's): its lists are those of `threads` finer shards, one per worker, as
      // a list number L with L % (count x threads) == index + count x i has L % count == index.
      request.shard_index = base.shard_index + base.shard_count * i;
      request.shard_count = base.shard_count * static_cast<int>(board.slots.size());
    } else {
      request.claim = [&board] {
        return board.next_list.fetch_add(kListsPerClaim, std::memory_order_relaxed);
      };
      request.claim_lists = kListsPerClaim;
    }
    const auto slot = static_cast<std::size_t>(i);
    const ProgressFn report = [&board, slot](const SearchProgress& p) {
      {
        const std::lock_guard lock(board.slots[slot].mutex);
        board.slots[slot].progress = p;
      }
      // false stops this worker's search after the current inter-stage plan
      return !board.abandon.load();
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
      // A stop asked through the progress callback reaches every worker at its next inter-stage plan.
      if (progress && !progress(progress_so_far(board))) board.abandon = true;
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
  return merge_results(shards, base.top_k);
}

}  // namespace

int default_thread_count() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

Outcome<SearchResult> search_on_threads(const Case& c, const SearchRequest& request, int threads,
                                        const ProgressFn& progress) {
  // One thread searches on the calling thread: a worker thread would only add its start and the wake-up of
  // the waiting one, which weigh on small searches (row 1 of the table searches for half a millisecond).
  if (threads <= 1) return run_search(c, request, progress);
  return run_on_threads(c, request, threads, progress);
}

}  // namespace hetplan::cli

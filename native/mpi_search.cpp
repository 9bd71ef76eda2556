// One strategy's search spread over MPI ranks. Rank 0 hands out chunks of device-group lists: its own
// threads take them from a shared counter, the other ranks ask for them by message (a rank that goes faster
// asks more often, so no rank waits for a slow one as a fixed split would). Each claim carries the rank's
// progress, which rank 0 adds to its own for the progress line. At the end every rank's result goes to
// rank 0, which merges them: by cost, then global index, the same bytes for any number of ranks and threads.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hetplan/json_api.hpp"
#include "interrupt.hpp"
#include "mpi_ranks.hpp"
#include "thread_search.hpp"

namespace hetplan::cli {

namespace {

enum Tag : int { kClaim = 1, kGrant = 2, kDone = 3 };

// Device-group lists per claim (docs/performance.md, "MPI ranks": the chunk size).
constexpr std::int64_t kListsPerClaim = 64;
// Past every list: a claim that returns it ends the claimer's search.
constexpr std::int64_t kNoMoreLists = std::numeric_limits<std::int64_t>::max() / 2;

using Payload = std::array<double, 6>;

Payload pack(const SearchProgress& p) {
  return {static_cast<double>(p.steps),
          static_cast<double>(p.inter_done),
          static_cast<double>(p.inter_total),
          static_cast<double>(p.costed),
          p.has_best ? 1.0 : 0.0,
          p.best_cost};
}

SearchProgress unpack(const Payload& v) {
  SearchProgress p;
  p.steps = static_cast<std::int64_t>(v[0]);
  p.inter_done = static_cast<std::int64_t>(v[1]);
  p.inter_total = static_cast<std::int64_t>(v[2]);
  p.costed = static_cast<std::int64_t>(v[3]);
  p.has_best = v[4] != 0;
  p.best_cost = v[5];
  return p;
}

// Rank 0: serves the other ranks' claims from the counter its own threads share, until every other rank
// says it is done.
class Dispatcher {
 public:
  Dispatcher(MPI_Comm comm, int ranks) : comm_(comm), remote_(static_cast<std::size_t>(ranks)) {
    server_ = std::thread([this, ranks] { serve(ranks - 1); });
  }
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;
  ~Dispatcher() { server_.join(); }

  std::int64_t claim() { return next_.fetch_add(kListsPerClaim, std::memory_order_relaxed); }
  // Every later claim, here and on the other ranks, gets no more work.
  void stop() { next_.store(kNoMoreLists); }
  // The latest progress each other rank sent.
  std::vector<SearchProgress> remote() {
    const std::lock_guard lock(mutex_);
    return remote_;
  }

 private:
  void serve(int others) {
    int done = 0;
    while (done < others) {
      int waiting = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &waiting, &status);
      if (waiting == 0) {
        // Polling with a pause rather than a blocking receive, which spins a core in most MPI libraries.
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        continue;
      }
      Payload payload{};
      MPI_Recv(payload.data(), static_cast<int>(payload.size()), MPI_DOUBLE, status.MPI_SOURCE,
               status.MPI_TAG, comm_, MPI_STATUS_IGNORE);
      {
        const std::lock_guard lock(mutex_);
        remote_[static_cast<std::size_t>(status.MPI_SOURCE)] = unpack(payload);
      }
      if (status.MPI_TAG == kClaim) {
        std::int64_t first = claim();
        MPI_Send(&first, 1, MPI_INT64_T, status.MPI_SOURCE, kGrant, comm_);
      } else {
        ++done;
      }
    }
  }

  MPI_Comm comm_;
  std::atomic<std::int64_t> next_{0};
  std::mutex mutex_;
  std::vector<SearchProgress> remote_;
  std::thread server_;
};

// Another rank: its threads claim through rank 0, one message at a time.
class Claimer {
 public:
  explicit Claimer(MPI_Comm comm) : comm_(comm) {}

  std::int64_t claim() {
    const std::lock_guard lock(mutex_);
    Payload payload = pack(latest_);
    MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_DOUBLE, 0, kClaim, comm_);
    std::int64_t first = kNoMoreLists;
    MPI_Recv(&first, 1, MPI_INT64_T, 0, kGrant, comm_, MPI_STATUS_IGNORE);
    return first;
  }
  void record(const SearchProgress& p) {
    const std::lock_guard lock(mutex_);
    latest_ = p;
  }
  void done() {
    const std::lock_guard lock(mutex_);
    Payload payload = pack(latest_);
    MPI_Send(payload.data(), static_cast<int>(payload.size()), MPI_DOUBLE, 0, kDone, comm_);
  }

 private:
  MPI_Comm comm_;
  std::mutex mutex_;
  SearchProgress latest_;
};

// This rank's part of a search whose lists all ranks claim.
Outcome<SearchResult> claimed_part(MpiRanks& ranks, const Case& c, SearchRequest request, int threads,
                                   const ProgressFn& progress) {
  request.claim_lists = kListsPerClaim;
  if (ranks.rank() != 0) {
    Claimer claimer(ranks.comm());
    request.claim = [&claimer] { return claimer.claim(); };
    auto part = search_on_threads(c, request, threads, [&claimer](const SearchProgress& p) {
      claimer.record(p);
      return true;  // rank 0 stops the search by handing out no more work
    });
    if (part) claimer.record(SearchProgress{part->count, part->inter_plans, 0, part->costed_plans, false, 0});
    claimer.done();
    return part;
  }
  Dispatcher dispatcher(ranks.comm(), ranks.size());
  request.claim = [&dispatcher] { return dispatcher.claim(); };
  auto part = search_on_threads(c, request, threads, [&](const SearchProgress& p) {
    if (interrupted()) {
      dispatcher.stop();
      return false;
    }
    std::vector<SearchProgress> all = dispatcher.remote();
    all.front() = p;  // rank 0's own entry
    SearchProgress sum = combine_progress(all);
    sum.inter_total = p.inter_total;
    return !progress || progress(sum);
  });
  if (!part) dispatcher.stop();
  return part;
}

// Every rank's part on rank 0, merged: "ok" + its result's JSON, or "error" + a message, per rank.
Outcome<SearchResult> merged_on_root(MpiRanks& ranks, const Outcome<SearchResult>& part, int top_k) {
  const std::vector<std::string> texts =
      ranks.gather(part ? "ok" + result_json_text(*part, 0) : "error" + part.error().message);
  if (ranks.rank() != 0) return part;
  std::vector<SearchResult> parts;
  for (std::size_t r = 0; r < texts.size(); ++r) {
    if (texts[r].rfind("error", 0) == 0)
      return Error{"rank " + std::to_string(r) + ": " + texts[r].substr(5)};
    auto read = result_from_json(texts[r].substr(2), "rank " + std::to_string(r));
    if (!read) return read.error();
    parts.push_back(std::move(read->result));
  }
  return merge_results(parts, top_k);
}

}  // namespace

Outcome<SearchResult> search_on_ranks(MpiRanks& ranks, const Case& c, const SearchRequest& request,
                                      int threads, const ProgressFn& progress) {
  Outcome<SearchResult> result = Error{"no search"};
  if (uses_bounds(request.strategy)) {
    // The bounded strategies search in an order of their own on one worker: rank 0 runs them alone.
    if (ranks.rank() == 0) {
      result = search_on_threads(c, request, threads, [&progress](const SearchProgress& p) {
        return !interrupted() && (!progress || progress(p));
      });
    } else {
      SearchResult idle;
      idle.strategy = request.strategy;
      idle.cost_model = request.cost_model;
      result = idle;
    }
  } else {
    result = merged_on_root(ranks, claimed_part(ranks, c, request, threads, progress), request.top_k);
  }
  // Rank 0's verdict, so that every rank goes on, stops or fails at the same point of the run.
  const std::string verdict = ranks.broadcast(!result         ? "error" + result.error().message
                                              : interrupted() ? "stop"
                                                              : "go");
  ranks.set_stopped(verdict != "go");
  if (verdict.rfind("error", 0) == 0) return Error{verdict.substr(5)};
  return result;
}

}  // namespace hetplan::cli

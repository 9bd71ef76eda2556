// One search on several threads, for the run layer (hetplan::SearchRunner): the threads claim chunks of
// device-group lists from one counter and their results are merged by cost then index, so the result is the
// same for any thread count; only the time changes.
#pragma once

#include "hetplan/case.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/search.hpp"

namespace hetplan::cli {

// All hardware threads (1 when the platform cannot tell).
int default_thread_count();

// The search on `threads` threads (on the calling thread when 1); `progress` is called on the calling thread,
// about every 200 ms with the threads' progress combined, and a false return stops every thread. The threads
// claim chunks of device-group lists from a counter of their own, or from request.claim when it is set (it
// must then be safe to call from several threads); a fixed shard is split into finer ones.
Outcome<SearchResult> search_on_threads(const Case& c, const SearchRequest& request, int threads,
                                        const ProgressFn& progress);

}  // namespace hetplan::cli

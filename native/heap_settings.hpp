// How the C library's allocator treats memory freed by a search, for processes that search again and again.
#pragma once

namespace hetplan::native {

// glibc hands the free memory at the top of its heap back to the kernel once it exceeds 128 KiB, and serves
// requests of 128 KiB and more from their own mappings, unmapped on free. A search builds its tables (several
// hundred KiB on table 1's row 3) and frees them at the end, so the next search of a `--trials` run, of
// `hetplan table1` or of a benchmark loop faulted the same pages in again. On a paravirtualised machine a
// page fault costs tens of microseconds: row 3's metis search spent a third of its time in the kernel
// (docs/performance.md). Keeping freed memory for reuse removes that; a single search is unaffected.
// Call once, before any thread starts. Does nothing with other C libraries.
void keep_freed_memory_for_reuse();

}  // namespace hetplan::native

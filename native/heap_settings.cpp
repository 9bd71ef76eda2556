#include "heap_settings.hpp"

#include <cstdlib>  // defines __GLIBC__ with glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace hetplan::native {

#if defined(__GLIBC__)
namespace {
// Blocks below this come from the heap (and are reused); larger ones, rare and costly to fill anyway, from
// their own mappings.
constexpr int kMapThresholdBytes = 8 << 20;
// Free memory at the top of the heap is returned to the kernel only beyond this. It bounds what an idle
// process keeps, not its peak: the peak resident size of a search is the same.
constexpr int kTrimThresholdBytes = 32 << 20;
}  // namespace

void keep_freed_memory_for_reuse() {
  // Setting either value also stops glibc from adjusting them itself. A refusal leaves the defaults, which
  // are slower, not wrong: nothing to report.
  mallopt(M_MMAP_THRESHOLD, kMapThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
}
#else
void keep_freed_memory_for_reuse() {}
#endif

}  // namespace hetplan::native

#include "interrupt.hpp"

#include <atomic>
#include <csignal>

namespace hetplan::cli {

namespace {

// Lock-free, so the handler may touch it.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_sigint(int /*signal*/) {
  if (g_interrupted.exchange(true)) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}

}  // namespace

void install_interrupt_handler() {
  std::signal(SIGINT, on_sigint);
}

bool interrupted() {
  return g_interrupted.load();
}

}  // namespace hetplan::cli

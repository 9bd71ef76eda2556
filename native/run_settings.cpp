#include "run_settings.hpp"

#include <chrono>

#include "interrupt.hpp"
#include "thread_search.hpp"

namespace hetplan::cli {

hetplan::RunOptions run_options_of(const RunOptions& flags) {
  hetplan::RunOptions o;
  auto strategies = parse_strategy_list(flags.strategy);
  if (strategies) o.strategies = std::move(*strategies);
  auto model = parse_cost_model(flags.cost_model);
  if (model) o.cost_model = *model;
  o.top_k = flags.top;
  o.trials = flags.trials;
  o.threads = flags.threads > 0 ? flags.threads : default_thread_count();
  o.cores = default_thread_count();
  o.max_inter_plans = flags.max_inter_plans;
  o.limit_option = "--max-inter-plans";
  o.launchable_only = flags.launchable_only;
  // The progress line is redrawn five times a second; reading the steady clock costs next to nothing.
  o.progress = {200, 0, 0, 1};
  return o;
}

RunHooks run_hooks(ProgressLine& line, const std::string& label_prefix, Ranks& ranks) {
  RunHooks hooks;
  hooks.now_ms = [] {
    const auto since = std::chrono::steady_clock::now().time_since_epoch();
    return std::chrono::duration<double, std::milli>(since).count();
  };
  hooks.search = ranks.searcher();
  hooks.stop = [&ranks] { return ranks.stopped(); };
  hooks.progress = [&line, label_prefix](const RunProgress& e) {
    if (e.final) {
      line.clear();
    } else {
      line.show(label_prefix + to_string(e.strategy), e.progress, e.elapsed_ms / 1000.0);
    }
  };
  return hooks;
}

}  // namespace hetplan::cli

// The run layer every face shares: what a run is asked to do (strategies, cost model, top K, trials,
// workers, shards), read from the page's options JSON or filled by the CLI from its flags with the same
// limits and messages; the strategy x trials loop with progress and a refusal of searches too large; the
// result of a run and its JSON; and shard results merged into one.
//
// The core has no clock and no threads: the face passes a clock, and how one search runs on its workers
// (the calling thread, threads, MPI ranks), as hooks.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hetplan/case.hpp"
#include "hetplan/export.hpp"
#include "hetplan/model.hpp"
#include "hetplan/outcome.hpp"
#include "hetplan/search.hpp"

namespace hetplan {

// The bounds of the options, the same in every face.
inline constexpr int kMaxTop = 1'000'000;
inline constexpr int kMaxTrials = 1'000'000;
inline constexpr int kMaxWorkers =
    1024;  // threads, shards or ranks: a bound keeps a typo from asking a billion

// When a progress event is worth sending (see throttle.hpp): every interval, and each time another
// 1/slices of the inter-stage plans is done (0: time only) but not sooner than min_gap after the last.
// The clock is read on every clock_stride-th call only, where reading it is dear (in a browser it is a call
// into JavaScript).
struct ProgressCadence {
  double interval_ms = 100;
  int slices = 16;
  double min_gap_ms = 2;
  int clock_stride = 8;
};

// Which elapsed time a strategy's run reports over its trials.
enum class Timing { kMean, kMedian };

// Time of one inter-stage plan on one thread of a native build (docs/performance.md, "Estimated times").
inline constexpr double kMicrosecondsPerInterPlan = 3.0;

struct RunOptions {
  // In the order given, each once; the order of the {"metis": R, ...} output.
  std::vector<Strategy> strategies{Strategy::kMetis, Strategy::kPruned};
  CostModel cost_model = CostModel::kCorrected;
  int top_k = 1;
  int trials = 1;
  Timing timing = Timing::kMean;
  // Workers of one search (threads); a strategy uses fewer when there are fewer inter-stage plans, and one
  // for the bounded strategies, whose counts depend on the order of their work.
  int threads = 1;
  // The threads the machine runs at once, when the face knows (0: unknown). Threads past it do not make a
  // search faster, so the time estimate counts no more than these.
  int cores = 0;
  std::int64_t max_inter_plans = kDefaultMaxInterPlans;
  // How a too-large refusal reads on this face: the option that raises the limit ("--max-inter-plans" on the
  // command line; empty when the face asks its user instead), what it calls one of the search's workers, and
  // its rate of a metis search (this machine's build; WebAssembly runs slower).
  std::string limit_option = "max_inter_plans";
  std::string worker_name = "thread";
  // The face runs each shard on a worker of one thread (the page): a refusal counts the workers, not the
  // threads of each shard.
  bool shards_are_workers = false;
  double microseconds_per_inter_plan = kMicrosecondsPerInterPlan;
  bool launchable_only = false;
  // This run searches shard shard_index of shard_count (the page's workers, shard files); merge joins them.
  int shard_index = 0;
  int shard_count = 1;
  ProgressCadence progress;
  // The JSON of the result: every plan of each top K with its explanation, and the export of one plan.
  bool explain = false;
  std::optional<ExportTarget> export_target;
  int export_rank = 1;
  bool untied_embeddings = false;
  // The case's inter-stage plans (count_inter_stage_plans), when the face has counted them already: counted
  // once per run.
  std::optional<std::int64_t> inter_plans;
};

// "corrected" or "reference"; the error names the two.
Outcome<CostModel> parse_cost_model(std::string_view text);

// {"strategy": "metis" or a comma-separated list ("metis,bounded,optimal"; "both" = metis,pruned),
//  "cost_model", "top", "trials", "threads", "max_inter_plans", "launchable_only", "shard_index",
//  "shard_count", "progress_interval_ms", "progress_slices", "progress_min_gap_ms", "explain",
//  "export", "export_rank", "untied_embeddings"}; every field optional, the defaults those of
// `hetplan plan`; an unknown field is an error.
Outcome<RunOptions> run_options_from_json(std::string_view text);

// The run of one strategy.
struct StrategyRun {
  SearchResult result;  // after a stop: what the search found so far, marked cancelled
  std::vector<double> trial_ms;
  double elapsed_ms = 0;  // the mean or median of trial_ms (RunOptions::timing)
  int workers = 1;        // the workers the search ran on
  bool merged = false;    // joined from `workers` shards (merge_shard_reports)
};

struct RunReport {
  std::vector<StrategyRun> runs;
  bool keyed = false;  // several strategies were asked: the JSON is {"metis": R, ...} even if a stop left one
};

// A progress event: the search so far (inter_total is the whole search's), from the start of the strategy.
struct RunProgress {
  Strategy strategy = Strategy::kMetis;
  SearchProgress progress;
  double elapsed_ms = 0;
  bool final = false;  // the last event of a strategy, with its final counts
};

// Runs one search on `workers` workers and calls `progress` on the calling thread; a false return stops it.
using SearchRunner =
    std::function<Outcome<SearchResult>(const Case&, const SearchRequest&, int workers, const ProgressFn&)>;

struct RunHooks {
  std::function<double()> now_ms;  // a monotonic clock in milliseconds: required
  SearchRunner search;             // empty: run_search on the calling thread
  // A first event before any work (the search's size), events at the cadence of the options on the first
  // trial, and a final one per strategy. Empty: none.
  std::function<void(const RunProgress&)> progress;
  std::function<bool()> stop;                        // true stops the run (Ctrl-C); empty: never
  std::function<void(const StrategyRun&)> finished;  // after each strategy, before the next starts
  // What the run has found so far, just before a progress event of a first trial when the top K has changed
  // since the last call: the strategies done and the current one's result so far, marked cancelled. A face
  // that ends a search without its cooperation (the page terminates its workers) keeps the last one to show.
  // Not called where the search runs on several threads or ranks. Empty: none.
  std::function<void(const RunReport&)> so_far;
};

// What makes the options impossible for any case (e.g. --launchable-only with the reference cost model), or
// nothing: run_strategies' first check, for a face that checks before it prints anything.
std::optional<Error> run_options_problem(const RunOptions& options);

// The strategies in turn, each over its trials. Refuses (ErrorKind::kTooLarge) a metis or pruned search
// over the limit or estimated to take more than a day, and options run_options_problem refuses, before any
// strategy starts.
Outcome<RunReport> run_strategies(const Case& c, const RunOptions& options, const RunHooks& hooks);

// The workers a strategy's search runs on, of `threads` asked.
int workers_for(Strategy strategy, std::int64_t inter_plans, int threads);

// Sums the progress of the workers of one search: counts added, the least best cost; every worker reports
// the whole search's size, which is not summed.
SearchProgress combine_progress(const std::vector<SearchProgress>& workers);

// With the optimal strategy among the runs (complete, with a plan): its best cost.
std::optional<double> optimum_of(const RunReport& report);

// The result as JSON text: R for one strategy, {"metis": R, ...} when keyed; with the optimal strategy among
// them, the others carry gap_to_optimum_ms and gap_to_optimum_percent; with explain or an export asked,
// plans carry "explain" and R "export" (given the case: merged shards are printed without). `requests_met`
// is false when an export was refused or its plan is missing.
struct ReportJson {
  std::string text;
  bool requests_met = true;
};
ReportJson run_report_json(const RunReport& report, const RunOptions& options, const Case* c = nullptr);

// The shards' results of one run (each what run_report_json printed for its shard: R, or {"metis": R, ...})
// merged into the report one unsharded run gives; elapsed is the longest shard's, as shards run side by side.
// Messages start "source: path: ".
struct ShardPart {
  std::string text;
  std::string source;  // a file name, or "shard results"
  std::string path;    // where the part sits in its source ("[2]"), or "" for a whole file
};
Outcome<RunReport> merge_shard_reports(const std::vector<ShardPart>& parts, const RunOptions& options);
// The same for the parts as one JSON array (the page's workers), each at "[i]" of `source`.
Outcome<RunReport> merge_shard_array(std::string_view array_text, const std::string& source,
                                     const RunOptions& options);
// What the shards of a run ended early had found (each part the last RunHooks::so_far of a worker, as
// run_report_json printed it): a part may hold only the first strategies, and the merged report holds those
// that some part holds, marked cancelled. A part that no worker sent is left out: its plans are not known.
Outcome<RunReport> merge_so_far_array(std::string_view array_text, const std::string& source,
                                      const RunOptions& options);

// A hash of the case and of the options that shape the result (strategies, cost model, top, launchable_only,
// shard_count), as 16 hex digits: equal for the shards and ranks of one run, whatever files the case was read
// from.
std::string run_fingerprint(const Case& c, const RunOptions& options);

// A shard file: {"format": "hetplan-shard", "version": 1, "fingerprint", "options" (as the options JSON),
// "header" (what the face printed above the tables), "result" (run_report_json of the shard)}.
std::string shard_file_json(const RunReport& report, const RunOptions& options,
                            const std::string& fingerprint, const std::string& header);
struct ShardFile {
  std::string name;  // for messages
  std::string text;
};
struct MergedShards {
  RunReport report;
  RunOptions options;  // the parts' options, unsharded
  std::string header;
  std::string fingerprint;
};
// The files of every shard of one run, in any order, merged; a file that is not a shard file, a shard
// missing or given twice, or a part of another run or split is an error that names the file.
Outcome<MergedShards> merge_shard_files(const std::vector<ShardFile>& files);

// Sizes and times, for messages.
inline constexpr double kLongestSearchSeconds = 24 * 3600.0;  // longer searches are refused
double estimated_seconds(std::int64_t inter_plans, int workers,
                         double microseconds_per_inter_plan = kMicrosecondsPerInterPlan);
std::string format_count(std::int64_t n);                // "1,714,619"
std::string plans_count_text(std::int64_t inter_plans);  // "at least 1,000,000,000,000" past the count's cap
std::string about_duration(double seconds);              // "about 15 seconds", "about 41 years"

}  // namespace hetplan

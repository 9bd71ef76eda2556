#include "cli.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "hetplan/run.hpp"
#include "interrupt.hpp"
#include "options.hpp"
#include "ranks.hpp"

namespace hetplan::cli {

namespace {

// A real number that is finite and not negative (the scale variance; the reference only took integers).
const CLI::Validator kNonNegativeReal(
    [](std::string& text) -> std::string {
      try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && std::isfinite(v) && v >= 0) return {};
      } catch (const std::exception&) {
      }
      return "expected a real number >= 0, got '" + text + "'";
    },
    "");

// A whole number from 1 to `most`, said in the same words for every count option (CLI11's own check names
// a range up to the largest double).
CLI::Validator whole_from_one(std::int64_t most) {
  return {[most](std::string& text) -> std::string {
            std::string expected = "expected a whole number of 1 or more, got '" + text + "'";
            const bool digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                                             [](char c) { return c >= '0' && c <= '9'; });
            if (!digits) return expected;
            const std::size_t first = std::min(text.find_first_not_of('0'), text.size());
            const bool too_many = text.size() - first > 18 || std::stoll(text) > most;
            if (too_many) return "expected at most " + std::to_string(most) + ", got " + text;
            return std::stoll(text) >= 1 ? std::string() : expected;
          },
          ""};
}
const CLI::Validator kPositiveInt = whole_from_one(std::numeric_limits<int>::max());

// A comma-separated list of strategy names.
const CLI::Validator strategy_list(
    [](std::string& text) -> std::string {
      auto parsed = parse_strategy_list(text);
      return parsed ? std::string() : parsed.error().message;
    },
    "STRATEGY[,STRATEGY...]");

// `plan` chooses strategies and how many plans to show; `table1` always runs both and shows the best.
// The commands that take run options, each with the ones it uses: `sweep` keeps the best plan of each point
// and times nothing, so it has no --top and no --trials.
enum class RunCommand { kPlan, kSweep, kTable1 };

void add_run_options(CLI::App& cmd, RunOptions& o, RunCommand command) {
  const bool for_plan = command != RunCommand::kTable1;
  if (for_plan) {
    cmd.add_option(
           "--strategy", o.strategy,
           "One or more of metis (the reference's DFS), pruned (its memory-aware variant), both (metis "
           "and pruned), bounded and bounded-pruned (the same top plans as metis and pruned, skipping "
           "inter-stage plans whose cost bound cannot beat the best found), optimal (the cheapest plans "
           "over every (dp, tp) per stage that fits in memory), separated by commas. Under the "
           "reference cost model the bounds are weaker: bounded and optimal can take minutes")
        ->check(strategy_list)
        ->capture_default_str();
  }
  cmd.add_option("--cost-model", o.cost_model,
                 "corrected, or reference (reproduces the reference's cost quirks, for cross-checking)")
      ->check(CLI::IsMember({"corrected", "reference"}))
      ->capture_default_str();
  if (command == RunCommand::kPlan) {
    cmd.add_option("--top", o.top, "How many of the cheapest plans to keep and print")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
  }
  if (command != RunCommand::kSweep) {
    cmd.add_option("--trials", o.trials,
                   for_plan ? "Repeat each search N times and report the mean time"
                            : "Repeat each search N times and report the median time (by default searches "
                              "under 10 ms are repeated 101 times, longer ones run once)")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
  }
  cmd.add_option("--threads", o.threads,
                 "Threads (shards of the inter-stage plans); default: all hardware threads")
      ->check(CLI::Range(1, 1024));
  cmd.add_option("--max-inter-plans", o.max_inter_plans,
                 "Refuse metis and pruned searches of more inter-stage plans than this (counted before "
                 "starting; the refusal estimates the time); raise it to confirm a long run. Searches "
                 "estimated to take more than a day are refused whatever this limit")
      ->check(whole_from_one(std::numeric_limits<std::int64_t>::max()))
      ->capture_default_str();
  cmd.add_flag("--json", o.json, "Print one JSON object on stdout instead of the tables");
  if (for_plan) {
    cmd.add_flag("--launchable-only", o.launchable_only,
                 "Keep only plans whose tensor parallelism a framework can launch (within one node and one "
                 "GPU type, dividing the attention heads) in the top plans; the search and its counts are "
                 "the same (the corrected cost model, metis and pruned). An export target may still refuse "
                 "a kept plan for its batch split, saying why");
  }
}

void add_plan(CLI::App& app, PlanOptions& o, std::vector<CLI::Option*>& file_form) {
  auto* cmd = app.add_subcommand("plan", "Search parallel training plans for a case");
  cmd->footer(
      "Give the case one of three ways:\n"
      "  --case DIR        hostfile, clusterfile.json, args.json, and profiles/ or synthetic.json\n"
      "  --case-json FILE  the case JSON the web page exports\n"
      "  --hostfile F --clusterfile F --profiles DIR --gbs N [model and bound options]\n"
      "    (--model-name, --num-layers, --max-tp and --max-bs left out are taken from the profiles, as\n"
      "    the web page takes them, and said on stderr)\n"
      "Exit codes: 0 plans found; 1 a plan asked for by --explain or --export was not given (no plan of\n"
      "that rank, or a target that cannot express it); 2 bad usage or bad input; 3 a search found no plan\n"
      "(its notes say why; --json output is printed all the same); 130 interrupted (Ctrl-C).\n");
  cmd->add_option("--case", o.case_dir, "Case folder")->type_name("DIR");
  cmd->add_option("--case-json", o.case_json, "Case JSON file")->type_name("FILE");
  cmd->add_option("--hostfile", o.hostfile, "Hostfile: one node a line, 'IP slots=N'")->type_name("FILE");
  cmd->add_option("--clusterfile", o.clusterfile, "Clusterfile JSON: IP -> type, bandwidths, memory")
      ->type_name("FILE");
  cmd->add_option("--profiles", o.profiles, "Folder of DeviceType.<TYPE>_tp<T>_bs<B>.json profiles")
      ->type_name("DIR");

  auto& model = o.args.model;
  auto& bounds = o.args.bounds;
  file_form.push_back(cmd->add_option("--model-name", o.args.model_name,
                                      "Name of the model, for the output; default: the profiles' "
                                      "model.model_name, else GPT"));
  file_form.push_back(cmd->add_option("--num-layers", model.num_layers,
                                      "Layers of the model (as profiled); default: the length of the "
                                      "profiles' layer times")
                          ->check(kPositiveInt));
  file_form.push_back(cmd->add_option("--gbs", bounds.gbs, "Global batch size")->check(kPositiveInt));
  file_form.push_back(
      cmd->add_option("--hidden-size", model.hidden_size)->check(kPositiveInt)->capture_default_str());
  file_form.push_back(cmd->add_option("--sequence-length", model.sequence_length)
                          ->check(kPositiveInt)
                          ->capture_default_str());
  file_form.push_back(
      cmd->add_option("--vocab-size", model.vocab_size)->check(kPositiveInt)->capture_default_str());
  file_form.push_back(cmd->add_option("--attention-heads", model.attention_heads)
                          ->check(kPositiveInt)
                          ->capture_default_str());
  // No default shown: left out, they are the largest the profiles of the cluster's types cover.
  file_form.push_back(cmd->add_option("--max-tp", bounds.max_tp,
                                      "Largest tensor-parallel degree the search tries; default: the largest "
                                      "the profiles of the cluster's device types cover")
                          ->check(kPositiveInt));
  file_form.push_back(cmd->add_option("--max-bs", bounds.max_bs,
                                      "Largest micro-batch size the search tries; default: the largest the "
                                      "profiles of the cluster's device types cover")
                          ->check(kPositiveInt));
  file_form.push_back(cmd->add_option("--scale-variance", bounds.scale_variance,
                                      "Least scale variance of a device group (a real number >= 0)")
                          ->type_name("REAL")
                          ->check(kNonNegativeReal)
                          ->capture_default_str());
  file_form.push_back(cmd->add_option("--max-permute-len", bounds.max_permute_len, "Longest node permutation")
                          ->check(kPositiveInt)
                          ->capture_default_str());
  add_run_options(*cmd, o.run, RunCommand::kPlan);
  cmd->add_option("--explain",
                  "Explain plan RANK (from 1; default 1) of each strategy: the cost as the terms "
                  "the cost model adds, and per stage its GPUs, degrees, layers, time and memory "
                  "(docs/explain.md); with --json every plan of the top carries an \"explain\" key")
      ->expected(0, 1)
      ->type_name("[RANK]");
  cmd->add_option("--export",
                  "Print the launch configuration of plan RANK (default 1) of each strategy for "
                  "TARGET: megatron (Megatron-LM arguments), flagscale (FlagScale's heterogeneous "
                  "arguments) or deepspeed (ds_config.json and hostfile); a plan the target cannot "
                  "express is refused with the reason (exit code 1)")
      ->expected(1, 2)
      ->type_name("TARGET [RANK]");
  cmd->add_flag("--untied-embeddings", o.untied_embeddings,
                "The model unties its input and output embeddings (FlagScale: the first and last stage may "
                "differ in tp)");
  cmd->add_option("--shard",
                  "Search only shard I of N (I from 0 to N-1; with --out): run the N shards "
                  "anywhere, then join their files with hetplan merge")
      ->type_name("I/N");
  cmd->add_option("--out", o.out, "Write the result as a shard file for hetplan merge instead of printing it")
      ->type_name("FILE");
}

void add_sweep(CLI::App& app, SweepOptions& o) {
  auto* cmd = app.add_subcommand("sweep",
                                 "Search once per point of a grid over the input's numbers and print the "
                                 "best plan of each point (CSV, or JSON with --json)");
  cmd->add_option("--case-json", o.base,
                  "The base input: a case JSON (as the page exports it) or a synthetic spec (\"types\" with "
                  "\"nodes\", as the page's form builds it)")
      ->required()
      ->type_name("FILE");
  cmd->add_option(
         "--vary", o.vary,
         "PATH=VALUES, once per axis: VALUES numbers and ranges A..B or A..B:STEP separated by commas; PATH "
         "gbs, layers, or a dotted path into the input (args.max_permute_len, types.A100.nodes)")
      ->required()
      ->type_name("PATH=VALUES");
  add_run_options(*cmd, o.run, RunCommand::kSweep);
  cmd->add_option("--out", o.out, "Also write PREFIX.csv and PREFIX.json")->type_name("PREFIX");
  cmd->footer(
      "Examples:\n"
      "  hetplan sweep --case-json base.json --vary gbs=64,128,256 --vary layers=8..32:8\n"
      "  hetplan sweep --case-json spec.json --vary types.A100.nodes=0..8 --strategy bounded\n"
      "Points run one after another, each search on all threads (or over the ranks under mpirun), "
      "in grid order: the first --vary varies slowest.\n"
      "Exit codes: 0 a point has a plan; 2 bad usage or bad input; 3 no point has a plan (the error or\n"
      "why column says why); 130 interrupted (Ctrl-C).\n");
}

void add_merge(CLI::App& app, MergeOptions& o) {
  auto* cmd =
      app.add_subcommand("merge",
                         "Join the shard files of one search (hetplan plan --shard I/N --out FILE) and "
                         "print what one run prints");
  cmd->add_option("files", o.files, "The shard files, every shard of 0..N-1 once, in any order")
      ->required()
      ->type_name("FILE...");
  cmd->add_flag("--json", o.json, "Print one JSON object on stdout instead of the tables");
  cmd->footer(
      "Exit codes: 0 plans found; 2 bad usage, a file missing, doubled or from another search; 3 the "
      "search found no plan.\n");
}

// The values CLI11 keeps as text: the optional ranks of --explain and --export, and --shard I/N.
std::string rank_options(CLI::App& plan_cmd, PlanOptions& o) {
  const auto rank_of = [](const std::string& text, const char* option, int& rank) -> std::string {
    try {
      std::size_t used = 0;
      rank = std::stoi(text, &used);
      if (used == text.size() && rank >= 1) return {};
    } catch (const std::exception&) {
    }
    return std::string(option) + " takes a plan rank from 1, got '" + text + "'";
  };
  if (const auto* explain = plan_cmd.get_option("--explain"); explain->count() > 0) {
    o.explain_rank = 1;
    const auto values = explain->results();
    if (!values.empty() && !values.front().empty()) {
      if (auto e = rank_of(values.front(), "--explain", o.explain_rank); !e.empty()) return e;
    }
  }
  if (const auto* shard = plan_cmd.get_option("--shard"); shard->count() > 0) {
    const std::string text = shard->results().front();
    const auto slash = text.find('/');
    int index = -1;
    int count = 0;
    try {
      std::size_t used_index = 0;
      std::size_t used_count = 0;
      if (slash != std::string::npos) {
        index = std::stoi(text.substr(0, slash), &used_index);
        count = std::stoi(text.substr(slash + 1), &used_count);
      }
      if (used_index != slash || used_count != text.size() - slash - 1) count = 0;
    } catch (const std::exception&) {
      count = 0;
    }
    if (count < 1 || count > kMaxWorkers || index < 0 || index >= count) {
      return "--shard takes I/N with N from 1 to " + std::to_string(kMaxWorkers) +
             " and I from 0 to N-1, got '" + text + "'";
    }
    o.shard_index = index;
    o.shard_count = count;
  }
  if (const auto* exp = plan_cmd.get_option("--export"); exp->count() > 0) {
    const auto values = exp->results();
    o.export_target = values.front();
    if (values.size() > 1) {
      if (auto e = rank_of(values[1], "--export", o.export_rank); !e.empty()) return e;
    }
  }
  return {};
}

void add_gen_profiles(CLI::App& app, GenProfilesOptions& o) {
  auto* cmd = app.add_subcommand(
      "gen-profiles",
      "Write the synthetic profiles of the published experiments (what gen_synth_data.py writes)");
  cmd->add_option("--layers", o.layers, "Layers of the model")->required()->check(kPositiveInt);
  cmd->add_option("--max-bs", o.max_bs,
                  "Largest micro-batch size (and tp) to write, as the reference generator takes it: powers "
                  "of two up to this rounded up to one, and never below 4")
      ->required()
      ->check(kPositiveInt);
  cmd->add_option("--out", o.out,
                  "Output folder (created if needed; DeviceType.* files already there are removed)")
      ->required()
      ->type_name("DIR");
  cmd->add_option(
         "--type", o.types,
         "Device types to write as NAME=FACTOR (every time scaled by FACTOR); default: A100=1 V100=3.5")
      ->type_name("NAME=FACTOR");
}

void add_gen_hostfile(CLI::App& app, GenHostfileOptions& o) {
  auto* cmd =
      app.add_subcommand("gen-hostfile",
                         "Write the two-type hostfile of the published experiments (gen_hostfile.py N): "
                         "N/4 four-GPU V100 nodes, then N/4 four-GPU A100 nodes");
  cmd->add_option("--gpus-per-type", o.gpus_per_type, "GPUs of each type (N)")
      ->required()
      ->check(kPositiveInt);
  cmd->add_option("--out", o.out, "Output file (default: stdout)")->type_name("FILE");
}

void add_table1(CLI::App& app, Table1Options& o) {
  auto* cmd = app.add_subcommand("table1",
                                 "Reproduce the published table of search steps: generate, run both, print");
  cmd->add_option("--rows", o.rows, "Rows to run (1-4; row 4 takes about a second, the reference 12 minutes)")
      ->delimiter(',')
      ->check(CLI::Range(1, 4))
      ->capture_default_str();
  add_run_options(*cmd, o.run, RunCommand::kTable1);
  cmd->footer("Exit code 1 when a step count differs from the published one.\n");
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{
      "hetplan: plans for training LLMs on clusters of mixed GPUs (the Metis search and a pruned variant)",
      "hetplan"};
  install_interrupt_handler();
  app.require_subcommand(1);
  app.set_version_flag("--version", HETPLAN_VERSION_TEXT);

  PlanOptions plan;
  std::vector<CLI::Option*> file_form;
  GenProfilesOptions gen_profiles;
  GenHostfileOptions gen_hostfile;
  Table1Options table1;
  MergeOptions merge;
  SweepOptions sweep;
  add_plan(app, plan, file_form);
  add_gen_profiles(app, gen_profiles);
  add_gen_hostfile(app, gen_hostfile);
  add_table1(app, table1);
  add_merge(app, merge);
  add_sweep(app, sweep);

  // Every message of the command starts the same way, CLI11's own included.
  app.failure_message([](const CLI::App* /*app*/, const CLI::Error& e) {
    std::string text = "hetplan: error: ";
    text += e.what();
    text += "\nRun with --help for more information.\n";
    return text;
  });

  // CLI11 would report a mistyped command only as "a subcommand is required": name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string first = argv[1];
    const CLI::App& top = app;  // the const overload: the filter takes const App*
    const auto commands = top.get_subcommands([](const CLI::App*) { return true; });
    const bool known = std::any_of(commands.begin(), commands.end(),
                                   [&first](const CLI::App* sub) { return sub->check_name(first); });
    if (!known) {
      return usage_error("unknown command '" + first +
                         "' (commands: plan, merge, sweep, gen-profiles, gen-hostfile, table1)");
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (process_ranks().rank() != 0) return e.get_exit_code() == 0 ? kExitOk : kExitUsage;  // rank 0 says it
    // CLI11 uses its own codes (106 and so on); the contract is 0 for --help and --version, 2 for bad usage.
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  // Only `plan` and `sweep` spread over MPI ranks; the other commands run on rank 0 alone.
  if (process_ranks().rank() != 0 && !app.got_subcommand("plan") && !app.got_subcommand("sweep"))
    return kExitOk;
  if (app.got_subcommand("plan")) {
    if (auto e = rank_options(*app.get_subcommand("plan"), plan); !e.empty()) return usage_error(e);
    for (const auto* opt : file_form) {
      if (opt->count() > 0) plan.file_form_options_given.push_back(opt->get_name());
    }
    return run_plan(plan);
  }
  if (app.got_subcommand("gen-profiles")) return run_gen_profiles(gen_profiles);
  if (app.got_subcommand("gen-hostfile")) return run_gen_hostfile(gen_hostfile);
  if (app.got_subcommand("table1")) return run_table1(table1);
  if (app.got_subcommand("merge")) return run_merge(merge);
  if (app.got_subcommand("sweep")) return run_sweep(sweep);
  return usage_error("no command given (see hetplan --help)");
}

}  // namespace hetplan::cli

namespace hetplan::cli {

int usage_error(const std::string& message) {
  // Under MPI every rank meets the same errors (or learns rank 0's verdict): rank 0 says it once.
  if (process_ranks().rank() != 0) return kExitUsage;
  std::cerr << "hetplan: error: " << message << '\n';
  return kExitUsage;
}

int interrupted_exit() {
  if (process_ranks().rank() != 0) return kExitInterrupted;
  std::cerr << "hetplan: interrupted: the results above are what the search found before Ctrl-C (marked "
               "cancelled)\n";
  return kExitInterrupted;
}

}  // namespace hetplan::cli

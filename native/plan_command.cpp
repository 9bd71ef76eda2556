// `hetplan plan`: load a case, run the asked strategies, print tables or JSON.
#include <algorithm>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "case_loader.hpp"
#include "commands.hpp"
#include "explain_report.hpp"
#include "files.hpp"
#include "hetplan/reasons.hpp"
#include "interrupt.hpp"
#include "progress.hpp"
#include "ranks.hpp"
#include "report.hpp"
#include "run_settings.hpp"

namespace hetplan::cli {

namespace {

// Exactly one way of giving the case, and the model options only with the separate files (a case folder
// brings its own args.json: silently overriding it would make runs hard to reproduce).
Outcome<Case> load_from_options(const PlanOptions& o) {
  const bool file_form = !o.hostfile.empty() || !o.clusterfile.empty() || !o.profiles.empty();
  const int forms = static_cast<int>(!o.case_dir.empty()) + static_cast<int>(!o.case_json.empty()) +
                    static_cast<int>(file_form);
  if (forms == 0) {
    return Error{
        "plan needs a case: --case DIR, --case-json FILE, or --hostfile F --clusterfile F --profiles DIR "
        "--gbs N"};
  }
  if (forms > 1)
    return Error{"give the case one way only: --case, --case-json, or --hostfile/--clusterfile/--profiles"};
  if (!file_form) {
    if (!o.file_form_options_given.empty()) {
      return Error{
          o.file_form_options_given.front() + " only goes with --hostfile/--clusterfile/--profiles (" +
          (o.case_dir.empty() ? "the case JSON" : "the case's args.json") + " sets the model values)"};
    }
    return o.case_dir.empty() ? load_case_json(o.case_json) : load_case_folder(o.case_dir);
  }
  const auto given = [&o](const std::string& name) {
    for (const auto& g : o.file_form_options_given) {
      if (g == name) return true;
    }
    return false;
  };
  if (o.hostfile.empty()) return Error{"--hostfile is required with --clusterfile/--profiles"};
  if (o.clusterfile.empty()) return Error{"--clusterfile is required with --hostfile/--profiles"};
  if (o.profiles.empty()) return Error{"--profiles is required with --hostfile/--clusterfile"};
  if (!given("--gbs")) return Error{"--gbs is required with --hostfile"};
  // As on the page with profiles and no args.json: what the profiles tell, unless the command line says it.
  CaseArgs args = o.args;
  args.from_profiles.model_name = !given("--model-name");
  args.from_profiles.num_layers = !given("--num-layers");
  args.from_profiles.max_tp = !given("--max-tp");
  args.from_profiles.max_bs = !given("--max-bs");
  return load_case_files(o.hostfile, o.clusterfile, o.profiles, args);
}

// Values taken from the profiles change what is searched: say which, once, on stderr (stdout keeps the bytes
// a run with the same values given as options prints), and the options that set them instead.
void say_taken_from_profiles(const Case& c) {
  const FromProfiles& taken = c.taken_from_profiles;
  if (!taken.any() || process_ranks().rank() != 0) return;
  std::string values;
  std::string options;
  const auto add = [&](bool was_taken, const std::string& value, const char* option) {
    if (!was_taken) return;
    values += (values.empty() ? "" : ", ") + value;
    options += (options.empty() ? "" : ", ") + std::string(option);
  };
  add(taken.model_name, "model " + c.model_name, "--model-name");
  add(taken.num_layers, std::to_string(c.model.num_layers) + " layers", "--num-layers");
  add(taken.max_tp, "max tp " + std::to_string(c.bounds.max_tp), "--max-tp");
  add(taken.max_bs, "max micro-batch " + std::to_string(c.bounds.max_bs), "--max-bs");
  std::cerr << "hetplan: " << values << ": from the profiles (give " << options << " to change)\n";
}

// The model's dimensions weigh on memory and on the data-parallel and pipeline traffic, and measured
// profiles do not carry them: on the file form, say which ones are defaults rather than the user's.
void say_model_defaults(const PlanOptions& o, const Case& c) {
  if (o.hostfile.empty() || process_ranks().rank() != 0) return;
  std::string values;
  std::string options;
  const auto add = [&](const char* option, const std::string& value) {
    if (std::find(o.file_form_options_given.begin(), o.file_form_options_given.end(), option) !=
        o.file_form_options_given.end()) {
      return;
    }
    values += (values.empty() ? "" : ", ") + value;
    options += (options.empty() ? "" : ", ") + std::string(option);
  };
  add("--hidden-size", "hidden size " + std::to_string(c.model.hidden_size));
  add("--sequence-length", "sequence length " + std::to_string(c.model.sequence_length));
  add("--vocab-size", "vocabulary " + std::to_string(c.model.vocab_size));
  add("--attention-heads", std::to_string(c.model.attention_heads) + " attention heads");
  if (values.empty()) return;
  std::cerr << "hetplan: " << values << ": defaults (give " << options << " to set your model's)\n";
}

// --shard I/N --out FILE: the shard's result, with what `merge` needs to check and print it, in a file.
int write_shard_file(const PlanOptions& options, const Case& c, hetplan::RunOptions run) {
  run.shard_index = options.shard_index;
  run.shard_count = options.shard_count;
  ProgressLine line(stderr_is_terminal());
  auto report = run_strategies(c, run, run_hooks(line));
  if (!report) return usage_error(report.error().message);
  if (interrupted()) {
    std::cerr << "hetplan: interrupted: " << options.out
              << " not written (a shard file holds a whole shard)\n";
    return kExitInterrupted;
  }
  std::ostringstream header;
  print_case_header(header, c, *run.inter_plans);
  const std::string fingerprint = run_fingerprint(c, run);
  if (auto written =
          write_text_file(options.out, shard_file_json(*report, run, fingerprint, header.str()) + "\n");
      !written) {
    return usage_error(written.error().message);
  }
  std::cout << options.out << ": shard " << run.shard_index << " of " << run.shard_count << " (fingerprint "
            << fingerprint << "); join the " << run.shard_count << " files with hetplan merge\n";
  return kExitOk;
}

// Every rank read a case, and the same one: rank 0 collects what each read (its fingerprint, or its error)
// and every rank gets the same verdict, empty when the run can go on. One process is its own rank 0.
std::string agree_on_case(Ranks& ranks, const Outcome<Case>& c, const hetplan::RunOptions& run) {
  const auto texts = ranks.gather(c ? "ok" + run_fingerprint(*c, run) : "error" + c.error().message);
  std::string verdict;
  for (std::size_t r = 0; r < texts.size() && verdict.empty(); ++r) {
    const std::string who = ranks.size() > 1 ? "rank " + std::to_string(r) + ": " : "";
    if (texts[r].rfind("error", 0) == 0) {
      verdict = who + texts[r].substr(5);
    } else if (texts[r] != texts.front()) {
      verdict = who + "read another case or ran other options than rank 0 (fingerprint " +
                texts[r].substr(2) + ", rank 0: " + texts.front().substr(2) +
                "); every rank must read the same files";
    }
  }
  return ranks.broadcast(verdict);
}

int exit_code_of(const RunReport& report, bool all_given) {
  if (interrupted() || process_ranks().stopped()) return interrupted_exit();
  // A search without plans has none to explain or export either: its own code, whatever was asked of it.
  const bool no_plan = std::any_of(report.runs.begin(), report.runs.end(),
                                   [](const StrategyRun& r) { return found_no_plan(r.result); });
  if (no_plan) return kExitNoPlan;
  return all_given ? kExitOk : kExitFailed;
}

}  // namespace

int run_plan(const PlanOptions& options) {
  if (auto bad = check_plan_requests(options); !bad.empty()) return usage_error(bad);
  if (options.shard_count > 1 && options.out.empty()) {
    return usage_error("--shard needs --out FILE: a shard's result is written for hetplan merge");
  }
  if (!options.out.empty() && (options.explain_rank > 0 || !options.export_target.empty())) {
    return usage_error("--explain and --export need the whole search: run them without --shard/--out");
  }
  if (!options.out.empty() && options.run.json) {
    return usage_error("--out writes JSON already; --json goes with hetplan merge");
  }
  Ranks& ranks = process_ranks();
  if (!options.out.empty() && ranks.size() > 1) {
    return usage_error("--shard and --out are for separate runs; under mpirun the ranks share the search");
  }
  const auto c = load_from_options(options);
  if (auto problem = agree_on_case(ranks, c, run_options_of(options.run)); !problem.empty()) {
    return usage_error(problem);
  }
  say_taken_from_profiles(*c);
  say_model_defaults(options, *c);
  hetplan::RunOptions run = run_options_of(options.run);
  if (auto problem = run_options_problem(run)) return usage_error(problem->message);  // before any output
  run.inter_plans = count_inter_stage_plans(*c);  // once per run: the header and the run layer share it
  if (!options.out.empty()) return write_shard_file(options, *c, run);
  const bool json = options.run.json;
  // With --json every plan carries its explanation and R the export; the tables print the ranks asked.
  run.explain = json && options.explain_rank > 0;
  if (json && !options.export_target.empty()) {
    run.export_target = export_target_named(options.export_target);
    run.export_rank = options.export_rank;
    run.untied_embeddings = options.untied_embeddings;
  }

  if (!json) {
    print_case_header(std::cout, *c, *run.inter_plans);
    std::cout << '\n' << std::flush;
  }
  bool all_given = true;  // every plan asked for was explained or exported
  ProgressLine line(stderr_is_terminal() && ranks.rank() == 0);
  RunHooks hooks = run_hooks(line, "", ranks);
  if (!json) {
    // Each strategy is printed as it ends, before the next one runs.
    hooks.finished = [&](const StrategyRun& done) {
      print_run(std::cout, done);
      std::cout << '\n';
      if (options.explain_rank > 0) {
        all_given = print_explanation(std::cout, *c, done.result, options.explain_rank) && all_given;
        std::cout << '\n';
      }
      if (!options.export_target.empty()) {
        all_given = print_export(std::cout, *c, done.result, options) && all_given;
        std::cout << '\n';
      }
      std::cout << std::flush;
    };
  }
  const auto report = run_strategies(*c, run, hooks);
  if (!report) return usage_error(report.error().message);
  if (json) {
    const ReportJson j = run_report_json(*report, run, &*c);
    all_given = j.requests_met;
    std::cout << j.text << '\n' << std::flush;
  } else {
    print_gaps(std::cout, *report);
  }
  // Every rank leaves with rank 0's exit code (the others print nothing: see main.cpp).
  return std::stoi(ranks.broadcast(std::to_string(exit_code_of(*report, all_given))));
}

}  // namespace hetplan::cli

// embind glue: the four functions of the module, the platform clock, and progress events as plain JS
// objects.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <string>
#include <string_view>

#include "api.hpp"

namespace {

using emscripten::val;

double now_ms() {
  return emscripten_get_now();
}

// The event's field names as JS strings, made once: a key given as a C string is converted to a new JS
// string on every set().
struct EventKeys {
  val strategy{"strategy"};
  val steps{"steps"};
  val inter_done{"inter_done"};
  val inter_total{"inter_total"};
  val costed{"costed"};
  val best_cost{"best_cost"};
  val elapsed_ms{"elapsed_ms"};
  val final_event{"final"};
};

// Safe integers in JS go up to 2^53; step counts stay far below that, so a double loses nothing.
val to_js(const hetplan::RunProgress& e, const val& strategy) {
  static const EventKeys keys;
  const hetplan::SearchProgress& p = e.progress;
  val o = val::object();
  o.set(keys.strategy, strategy);
  o.set(keys.steps, static_cast<double>(p.steps));
  o.set(keys.inter_done, static_cast<double>(p.inter_done));
  o.set(keys.inter_total, static_cast<double>(p.inter_total));
  o.set(keys.costed, static_cast<double>(p.costed));
  o.set(keys.best_cost, p.has_best ? val(p.best_cost) : val::null());
  o.set(keys.elapsed_ms, e.elapsed_ms);
  o.set(keys.final_event, e.final);
  return o;
}

std::string validate_case(const std::string& case_json) {
  return hetplan::wasm::validate_case(case_json);
}

std::string synthetic_case(const std::string& spec_json) {
  return hetplan::wasm::synthetic_case(spec_json);
}

// progress may be undefined or null (no events). It must not throw: the module is built without exception
// support, so a JS exception unwinding through the search would leave it in an undefined state.
std::string run_search(const std::string& case_json, const std::string& options_json, val progress) {
  hetplan::wasm::ProgressSink sink;
  if (progress.typeOf().as<std::string>() == "function") {
    // The strategy's name as a JS string, made again only when the strategy changes.
    sink = [&progress, name = static_cast<const char*>(nullptr), js_name = val::undefined()](
               const hetplan::RunProgress& e, std::string_view so_far) mutable {
      const char* strategy = to_string(e.strategy);
      if (name != strategy) {  // the names are string literals: one pointer per strategy
        name = strategy;
        js_name = val(name);
      }
      val event = to_js(e, js_name);
      if (!so_far.empty()) event.set("so_far", val(std::string(so_far)));
      progress(event);
    };
  }
  return hetplan::wasm::run_search(case_json, options_json, now_ms, sink);
}

int warm_up(double budget_ms) {
  return hetplan::wasm::warm_up(budget_ms, now_ms);
}

std::string merge_results(const std::string& results_json, const std::string& options_json,
                          const std::string& case_json) {
  return hetplan::wasm::merge_results(results_json, options_json, case_json);
}

std::string merge_so_far(const std::string& results_json, const std::string& options_json,
                         const std::string& case_json) {
  return hetplan::wasm::merge_so_far(results_json, options_json, case_json);
}

std::string export_plan(const std::string& case_json, const std::string& plan_json,
                        const std::string& options_json) {
  return hetplan::wasm::export_plan(case_json, plan_json, options_json);
}

std::string sweep_points(const std::string& base_json, const std::string& vary_json) {
  return hetplan::wasm::sweep_points(base_json, vary_json);
}

std::string sweep_table(const std::string& vary_json, const std::string& options_json,
                        const std::string& results_json) {
  return hetplan::wasm::sweep_table(vary_json, options_json, results_json);
}

}  // namespace

EMSCRIPTEN_BINDINGS(hetplan) {
  emscripten::function("validateCase", &validate_case);
  emscripten::function("syntheticCase", &synthetic_case);
  emscripten::function("runSearch", &run_search);
  emscripten::function("mergeResults", &merge_results);
  emscripten::function("mergeSoFar", &merge_so_far);
  emscripten::function("warmUp", &warm_up);
  emscripten::function("exportPlan", &export_plan);
  emscripten::function("sweepPoints", &sweep_points);
  emscripten::function("sweepTable", &sweep_table);
}

// embind glue: the four functions of the module, the platform clock, and progress events as plain JS
// objects.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <string>

#include "api.hpp"

namespace {

using emscripten::val;

double now_ms() {
  return emscripten_get_now();
}

// Safe integers in JS go up to 2^53; step counts stay far below that, so a double loses nothing.
val to_js(const hetplan::wasm::ProgressEvent& e) {
  val o = val::object();
  o.set("strategy", val(std::string(e.strategy)));
  o.set("steps", val(static_cast<double>(e.steps)));
  o.set("inter_done", val(static_cast<double>(e.inter_done)));
  o.set("inter_total", val(static_cast<double>(e.inter_total)));
  o.set("costed", val(static_cast<double>(e.costed)));
  o.set("best_cost", e.best_cost ? val(*e.best_cost) : val::null());
  o.set("elapsed_ms", val(e.elapsed_ms));
  o.set("final", val(e.final));
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
    sink = [&progress](const hetplan::wasm::ProgressEvent& e) { progress(to_js(e)); };
  }
  return hetplan::wasm::run_search(case_json, options_json, now_ms, sink);
}

std::string merge_results(const std::string& results_json, const std::string& options_json) {
  return hetplan::wasm::merge_results(results_json, options_json);
}

}  // namespace

EMSCRIPTEN_BINDINGS(hetplan) {
  emscripten::function("validateCase", &validate_case);
  emscripten::function("syntheticCase", &synthetic_case);
  emscripten::function("runSearch", &run_search);
  emscripten::function("mergeResults", &merge_results);
}

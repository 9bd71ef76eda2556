// Sweeps: the axes read from text, the grid's inputs made from a base input, and the best plan per point.
#include "hetplan/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "api/json_values.hpp"
#include "hetplan/json_api.hpp"
#include "hetplan/reasons.hpp"
#include "input/json_util.hpp"

namespace hetplan {

namespace {

using Json = nlohmann::ordered_json;

constexpr int kMaxAxisValues = 10'000;

Outcome<double> number_of(std::string_view text, std::string_view axis) {
  const std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) {
    return Error{"--vary " + std::string(axis) + ": '" + s + "' is not a number"};
  }
  return v;
}

// "A..B" or "A..B:STEP" into `out`.
std::optional<Error> add_range(std::string_view item, std::string_view axis, std::vector<double>& out) {
  const auto dots = item.find("..");
  const auto colon = item.find(':', dots);
  auto from = number_of(item.substr(0, dots), axis);
  auto to =
      number_of(item.substr(dots + 2, colon == std::string_view::npos ? item.npos : colon - dots - 2), axis);
  Outcome<double> step = 1.0;
  if (colon != std::string_view::npos) step = number_of(item.substr(colon + 1), axis);
  if (!from) return from.error();
  if (!to) return to.error();
  if (!step) return step.error();
  if (*step <= 0 || *to < *from) {
    return Error{"--vary " + std::string(axis) + ": the range '" + std::string(item) +
                 "' needs A <= B and a step above 0"};
  }
  // Counted steps, so that 0..1:0.1 ends at 1 whatever the rounding of the additions.
  const double steps = std::floor((*to - *from) / *step + 1e-9);
  if (steps + 1 > kMaxAxisValues) {
    return Error{"--vary " + std::string(axis) + ": more than " + std::to_string(kMaxAxisValues) + " values"};
  }
  // Values as written: 0..1:0.1 gives 0.3, not the sum's 0.30000000000000004. Rounded to the decimals of A
  // and STEP when they have few (written without an exponent).
  const auto decimals = [](std::string_view text) {
    const auto dot = text.find('.');
    if (text.find_first_of("eE") != std::string_view::npos) return 99;
    return dot == std::string_view::npos ? 0 : static_cast<int>(text.size() - dot - 1);
  };
  const int places = std::max(decimals(item.substr(0, dots)),
                              colon == std::string_view::npos ? 0 : decimals(item.substr(colon + 1)));
  const double scale = places <= 12 ? std::pow(10.0, places) : 0;
  for (int i = 0; i <= static_cast<int>(steps); ++i) {
    const double v = *from + i * *step;
    out.push_back(scale > 0 ? std::round(v * scale) / scale : v);
  }
  return std::nullopt;
}

// The JSON node a dotted path names, or an error that says which segment is missing.
Outcome<Json*> node_at(Json& root, const std::string& path) {
  Json* at = &root;
  std::size_t start = 0;
  std::string walked;
  while (start <= path.size()) {
    const auto dot = path.find('.', start);
    const std::string segment =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const bool last = dot == std::string::npos;
    Json* next = nullptr;
    if (at->is_object()) {
      auto it = at->find(segment);
      if (it != at->end()) {
        next = &*it;
      } else if (last && walked == "args") {
        next = &(*at)[segment];  // an args.json field left to its default
      }
    } else if (at->is_array()) {
      for (auto& element : *at) {
        if (element.is_object() && element.value("name", Json()) == segment) next = &element;
      }
      if (next == nullptr && !segment.empty() &&
          segment.find_first_not_of("0123456789") == std::string::npos && std::stoul(segment) < at->size()) {
        next = &(*at)[std::stoul(segment)];
      }
    }
    if (next == nullptr) {
      return Error{"--vary " + path + ": the input has no " + (walked.empty() ? "" : walked + ".") + segment};
    }
    at = next;
    walked += (walked.empty() ? "" : ".") + segment;
    if (last) break;
    start = dot + 1;
  }
  return at;
}

Json value_json(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<std::int64_t>(v);
  return v;
}

// The paths of the input an axis sets: "layers" moves the model's layers everywhere the input states them.
std::vector<std::string> targets_of(const Json& input, const std::string& path, bool spec) {
  if (path == "gbs") return {"args.gbs"};
  if (path == "layers") {
    if (!spec && !input.contains("synthetic"))
      return {"args.num_layers"};  // measured profiles have their own
    return {"args.num_layers", spec ? "layers" : "synthetic.layers"};
  }
  return {path};
}

// Sets one axis's value at a point.
std::optional<Error> set_value(Json& input, const std::string& path, double v, bool spec) {
  for (const auto& target : targets_of(input, path, spec)) {
    auto node = node_at(input, target);
    if (!node) return node.error();
    if (!(*node)->is_number() && !(*node)->is_null()) {
      return Error{"--vary " + path + ": " + target + " is not a number in the input"};
    }
    **node = value_json(v);
  }
  return std::nullopt;
}

// Best plan of a run, one row per strategy.
Json best_of(const StrategyRun& run) {
  Json j;
  j["strategy"] = to_string(run.result.strategy);
  j["steps"] = run.result.count;
  if (run.result.top.empty()) {
    j["cost_ms"] = nullptr;
    // Why: the search's first reason, else the generic words.
    const auto reasons = all_reasons(run.result);
    j["why"] = reasons.empty() ? std::string("no plan") : reasons.front().text;
    return j;
  }
  const PlanRecord& best = run.result.top.front();
  j["cost_ms"] = best.cost;
  // The stages the plan has (a relabelled plan of the reference's enumeration carries another label).
  j["stages"] = best.strategies.size();
  Json degrees = Json::array();
  for (const auto& [dp, tp] : best.strategies) degrees.push_back({dp, tp});
  j["dp_tp"] = std::move(degrees);
  int gpus = 0;
  for (const int g : best.device_groups) gpus += g;
  j["gpus"] = gpus;
  j["node_sequence"] = best.node_sequence;
  return j;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

}  // namespace

std::string sweep_value_text(double v) {
  return value_json(v).dump();
}

Outcome<SweepAxis> parse_sweep_axis(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return Error{"--vary takes PATH=VALUES (gbs=64,128,256 or types.A100.nodes=0..8), got '" +
                 std::string(text) + "'"};
  }
  SweepAxis axis;
  axis.path = std::string(text.substr(0, eq));
  std::string_view rest = text.substr(eq + 1);
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    if (item.find("..") != std::string_view::npos) {
      if (auto e = add_range(item, axis.path, axis.values)) return *e;
    } else {
      auto v = number_of(item, axis.path);
      if (!v) return v.error();
      axis.values.push_back(*v);
    }
    if (axis.values.size() > kMaxAxisValues) {
      return Error{"--vary " + axis.path + ": more than " + std::to_string(kMaxAxisValues) + " values"};
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return axis;
}

Outcome<std::vector<SweepPoint>> sweep_points(std::string_view base_json,
                                              const std::vector<SweepAxis>& axes) {
  auto base = internal::parse_json(base_json, "sweep base");
  if (!base) return base.error();
  if (!base->is_object()) return Error{"sweep base: expected a case JSON or a synthetic spec (an object)"};
  const bool spec = base->contains("types") && !base->contains("hostfile");
  std::int64_t count = 1;
  for (const auto& axis : axes) {
    count *= static_cast<std::int64_t>(axis.values.size());
    if (count > kMaxSweepPoints)
      return Error{"--vary: more than " + std::to_string(kMaxSweepPoints) + " points"};
  }
  // A number set by two axes would take the later one's values under the earlier one's name.
  for (std::size_t b = 1; b < axes.size(); ++b) {
    for (std::size_t a = 0; a < b; ++a) {
      for (const auto& target : targets_of(*base, axes[b].path, spec)) {
        const auto earlier = targets_of(*base, axes[a].path, spec);
        if (std::find(earlier.begin(), earlier.end(), target) == earlier.end()) continue;
        return Error{"--vary " + axes[b].path + ": " + target + " is varied already by --vary " +
                     axes[a].path + "; give its values in one --vary"};
      }
    }
  }
  // Every path is checked on the base before any search, so a typo fails at once.
  for (const auto& axis : axes) {
    Json probe = *base;
    if (auto e = set_value(probe, axis.path, axis.values.front(), spec)) return *e;
  }
  std::vector<SweepPoint> points;
  for (std::int64_t n = 0; n < count; ++n) {
    SweepPoint point;
    Json input = *base;
    std::int64_t rest = n;
    point.values.resize(axes.size());
    for (std::size_t a = axes.size(); a-- > 0;) {
      const auto size = static_cast<std::int64_t>(axes[a].values.size());
      point.values[a] = axes[a].values[static_cast<std::size_t>(rest % size)];
      rest /= size;
    }
    for (std::size_t a = 0; a < axes.size(); ++a) set_value(input, axes[a].path, point.values[a], spec);
    const std::string text = internal::compact(input);
    if (spec) {
      auto c = synthetic_case_json(text);
      if (c) {
        point.case_json = std::move(*c);
      } else {
        point.error = c.error().message;
      }
    } else {
      point.case_json = text;
    }
    points.push_back(std::move(point));
  }
  return points;
}

std::string sweep_json(const std::vector<SweepAxis>& axes, const std::vector<SweepPoint>& points,
                       const std::vector<SweepOutcome>& outcomes) {
  Json rows = Json::array();
  for (std::size_t i = 0; i < points.size(); ++i) {
    Json row;
    Json at = Json::object();
    for (std::size_t a = 0; a < axes.size(); ++a) at[axes[a].path] = value_json(points[i].values[a]);
    row["point"] = std::move(at);
    const SweepOutcome& o = outcomes[i];
    if (o.report) {
      Json best = Json::array();
      for (const auto& run : o.report->runs) best.push_back(best_of(run));
      row["best"] = std::move(best);
    } else {
      row["error"] = o.error;
    }
    rows.push_back(std::move(row));
  }
  Json out;
  Json names = Json::array();
  for (const auto& axis : axes) names.push_back(axis.path);
  out["axes"] = std::move(names);
  out["points"] = std::move(rows);
  return internal::compact(out);
}

std::string sweep_csv(const std::vector<SweepAxis>& axes, const std::vector<SweepPoint>& points,
                      const std::vector<SweepOutcome>& outcomes) {
  std::string out;
  for (const auto& axis : axes) out += csv_field(axis.path) + ",";
  out += "strategy,cost_ms,stages,dp_tp,gpus,steps,error\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::string lead;
    for (const double v : points[i].values) lead += sweep_value_text(v) + ",";
    const SweepOutcome& o = outcomes[i];
    if (!o.report) {
      out += lead + ",,,,,," + csv_field(o.error) + "\n";
      continue;
    }
    for (const auto& run : o.report->runs) {
      const Json b = best_of(run);
      std::string degrees;
      if (b.contains("dp_tp")) {
        for (const auto& d : b["dp_tp"]) {
          degrees += (degrees.empty() ? "" : " ") + std::string("(") + d[0].dump() + "," + d[1].dump() + ")";
        }
      }
      out += lead + b["strategy"].get<std::string>() + "," +
             (b["cost_ms"].is_null() ? "" : b["cost_ms"].dump()) + "," +
             (b.contains("stages") ? b["stages"].dump() : "") + "," + csv_field(degrees) + "," +
             (b.contains("gpus") ? b["gpus"].dump() : "") + "," + b["steps"].dump() + "," +
             (b["cost_ms"].is_null() ? csv_field(b["why"].get<std::string>()) : "") + "\n";
    }
  }
  return out;
}

}  // namespace hetplan

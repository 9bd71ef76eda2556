// What-if sweeps: one search per point of a grid over numbers of the input ("gbs=64,128,256",
// "types.A100.nodes=0..8"), and the best plan of each point as CSV or JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hetplan/outcome.hpp"
#include "hetplan/run.hpp"

namespace hetplan {

// One parameter and its values. Grammar: PATH=VALUES, VALUES a comma-separated list of numbers and ranges
// A..B (whole steps) or A..B:STEP; PATH a dotted path into the input JSON, where a segment on an array picks
// the element of that "name" (types.A100.nodes) or that index (types.0.nodes). Short names: gbs (args.gbs),
// layers (the model's layers, in args and in the synthetic profiles together).
struct SweepAxis {
  std::string path;
  std::vector<double> values;
};
Outcome<SweepAxis> parse_sweep_axis(std::string_view text);

inline constexpr int kMaxSweepPoints = 10'000;

// One point: its values (one per axis) and its input: the case JSON, or why the point has none.
struct SweepPoint {
  std::vector<double> values;
  std::string case_json;
  std::string error;
};
// The grid's points in order (the first axis varies slowest). `base_json` is a case JSON (with "hostfile")
// or a synthetic spec (with "types", as the page's form builds it); a path it does not have is an error.
Outcome<std::vector<SweepPoint>> sweep_points(std::string_view base_json, const std::vector<SweepAxis>& axes);

// What a point gave: the run, or why it has none (an input error, a search refused).
struct SweepOutcome {
  std::optional<RunReport> report;
  std::string error;
};

// One row per point and strategy: the axes' values, then the best plan (cost, stages, (dp, tp) per stage,
// GPUs used) and the search's steps, or the error.
std::string sweep_csv(const std::vector<SweepAxis>& axes, const std::vector<SweepPoint>& points,
                      const std::vector<SweepOutcome>& outcomes);
std::string sweep_json(const std::vector<SweepAxis>& axes, const std::vector<SweepPoint>& points,
                       const std::vector<SweepOutcome>& outcomes);

// "3", "0.5": a value as the outputs write it.
std::string sweep_value_text(double v);

}  // namespace hetplan

// The progress line on stderr: one line, rewritten in place with '\r', only when stderr is a terminal (a log
// file or a pipe would fill with partial lines) and only once a run has lasted a second (short runs stay
// quiet).
#pragma once

#include <cstddef>
#include <string>

#include "hetplan/search.hpp"

namespace hetplan::cli {

bool stderr_is_terminal();

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine() { clear(); }

  // Draws "label  steps ...  plans done/total (pct)  elapsed  best cost" once elapsed_s exceeds one second.
  void show(const std::string& label, const SearchProgress& p, double elapsed_s);
  // Erases the line so that the next output starts on a clean line.
  void clear();

 private:
  bool enabled_;
  std::size_t drawn_width_ = 0;
};

}  // namespace hetplan::cli

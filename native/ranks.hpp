// The processes one command runs on: this one alone, or MPI ranks when the build has MPI and mpirun (or
// srun) started it. `plan` is the same code either way: it asks the ranks to agree on the case, searches
// through their runner, and only rank 0 prints.
#pragma once

#include <string>
#include <vector>

#include "hetplan/run.hpp"

namespace hetplan::cli {

class Ranks {
 public:
  Ranks() = default;
  Ranks(const Ranks&) = delete;
  Ranks& operator=(const Ranks&) = delete;
  virtual ~Ranks() = default;
  [[nodiscard]] virtual int rank() const { return 0; }
  [[nodiscard]] virtual int size() const { return 1; }
  // Every rank's text in rank order, on rank 0; an empty list on the others.
  virtual std::vector<std::string> gather(const std::string& text) { return {text}; }
  // Rank 0's text, on every rank.
  virtual std::string broadcast(const std::string& text) { return text; }
  // One strategy's search over every rank, each on its threads; rank 0 gets the merged result.
  virtual SearchRunner searcher();
  // Whether the run stops (Ctrl-C on rank 0): the same answer on every rank at the same point of the run.
  virtual bool stopped();
};

// The ranks of this process, started by start_ranks (one rank until then).
Ranks& process_ranks();
// This process alone, for the commands that do not spread over ranks.
Ranks& single_process();
// Joins the MPI job when the build has MPI and the process was started by mpirun or srun; returns an error
// text when that fails.
std::string start_ranks(int& argc, char**& argv);
void finish_ranks();

}  // namespace hetplan::cli

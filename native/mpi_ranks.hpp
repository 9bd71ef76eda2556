// The MPI ranks of one run (built with -DHETPLAN_MPI=ON): collective text exchange on a communicator of
// hetplan's own, and the search spread over the ranks (mpi_search.cpp).
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "ranks.hpp"

namespace hetplan::cli {

class MpiRanks final : public Ranks {
 public:
  explicit MpiRanks(MPI_Comm comm);
  ~MpiRanks() override;
  [[nodiscard]] int rank() const override { return rank_; }
  [[nodiscard]] int size() const override { return size_; }
  std::vector<std::string> gather(const std::string& text) override;
  std::string broadcast(const std::string& text) override;
  SearchRunner searcher() override;
  bool stopped() override { return stopped_; }

  [[nodiscard]] MPI_Comm comm() const { return comm_; }
  // Rank 0 decides at the end of each search whether the run stops; every rank keeps the answer.
  void set_stopped(bool stopped) { stopped_ = stopped; }

 private:
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  bool stopped_ = false;
};

// One strategy's search over the ranks (see mpi_search.cpp).
Outcome<SearchResult> search_on_ranks(MpiRanks& ranks, const Case& c, const SearchRequest& request,
                                      int threads, const ProgressFn& progress);

}  // namespace hetplan::cli

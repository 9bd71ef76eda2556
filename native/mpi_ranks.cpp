// Joining the MPI job, and the collective text exchange of MpiRanks.
#include "mpi_ranks.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <string_view>

namespace hetplan::cli {

namespace {

std::unique_ptr<MpiRanks> the_ranks;

// Started by a process manager (OpenMPI's mpirun, or a PMI/PMIx launcher such as srun): then MPI_Init
// joins the job; a plain start stays one process without touching MPI.
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

// mpirun ends every rank with SIGTERM when the user presses Ctrl-C or a rank fails: rank 0 says so before
// leaving (write() is safe in a signal handler; the message is fixed).
void on_terminate(int /*signal*/) {
  static constexpr char kMessage[] =
      "hetplan: stopped: mpirun ended the run (Ctrl-C, or a rank failed); nothing was printed\n";
  if (std::getenv("OMPI_COMM_WORLD_RANK") == nullptr ||
      std::string_view(std::getenv("OMPI_COMM_WORLD_RANK")) == "0") {
    [[maybe_unused]] const auto written = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  }
  _exit(143);
}

}  // namespace

MpiRanks::MpiRanks(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

MpiRanks::~MpiRanks() {
  MPI_Comm_free(&comm_);
}

std::vector<std::string> MpiRanks::gather(const std::string& text) {
  int length = static_cast<int>(text.size());
  std::vector<int> lengths(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, comm_);
  std::vector<int> offsets(lengths.size());
  std::string all;
  if (rank_ == 0) {
    std::exclusive_scan(lengths.begin(), lengths.end(), offsets.begin(), 0);
    all.resize(static_cast<std::size_t>(std::accumulate(lengths.begin(), lengths.end(), 0)));
  }
  MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, comm_);
  std::vector<std::string> texts;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    texts.push_back(all.substr(static_cast<std::size_t>(offsets[i]), static_cast<std::size_t>(lengths[i])));
  }
  return texts;
}

std::string MpiRanks::broadcast(const std::string& text) {
  int length = static_cast<int>(text.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, comm_);
  std::string out = rank_ == 0 ? text : std::string(static_cast<std::size_t>(length), '\0');
  MPI_Bcast(out.data(), length, MPI_CHAR, 0, comm_);
  return out;
}

SearchRunner MpiRanks::searcher() {
  return [this](const Case& c, const SearchRequest& request, int threads, const ProgressFn& progress) {
    return search_on_ranks(*this, c, request, threads, progress);
  };
}

Ranks& process_ranks() {
  return the_ranks ? static_cast<Ranks&>(*the_ranks) : single_process();
}

std::string start_ranks(int& argc, char**& argv) {
  if (!launched_by_mpi()) return {};
  // Serialized: during a search only rank 0's dispatcher thread, or one claiming thread at a time on the
  // other ranks, calls MPI.
  int provided = 0;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
    return "cannot join the MPI job (MPI_Init_thread failed)";
  }
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    return "this MPI library does not let threads take turns calling it (MPI_THREAD_SERIALIZED)";
  }
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Comm_dup(MPI_COMM_WORLD, &comm);
  the_ranks = std::make_unique<MpiRanks>(comm);
  std::signal(SIGTERM, on_terminate);
  return {};
}

void finish_ranks() {
  if (!the_ranks) return;
  the_ranks.reset();
  MPI_Finalize();
}

}  // namespace hetplan::cli

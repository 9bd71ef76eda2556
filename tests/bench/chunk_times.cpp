// The time each device-group list of a search takes, for choosing how many lists an MPI rank claims at once
// (tests/bench/simulate_ranks.py replays these times on many ranks). One thread claims one list at a time
// and the time between two claims is the time of the list claimed first.
// Usage: hetplan_chunk_times CASE_JSON metis|pruned > times.txt   (one time in microseconds per line)
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "hetplan/json_api.hpp"
#include "hetplan/search.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: hetplan_chunk_times CASE_JSON metis|pruned\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  auto c = hetplan::case_from_json(text.str(), argv[1]);
  if (!c) {
    std::cerr << c.error().message << '\n';
    return 2;
  }
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> claims;
  std::int64_t next = 0;
  hetplan::SearchRequest request;
  request.strategy =
      std::string(argv[2]) == "pruned" ? hetplan::Strategy::kPruned : hetplan::Strategy::kMetis;
  request.max_inter_plans = std::int64_t{1} << 50;
  request.claim_lists = 1;
  request.claim = [&] {
    claims.push_back(Clock::now());
    return next++;
  };
  auto r = hetplan::run_search(*c, request);
  if (!r) {
    std::cerr << r.error().message << '\n';
    return 2;
  }
  for (std::size_t i = 1; i < claims.size(); ++i) {
    std::printf("%.3f\n", std::chrono::duration<double, std::micro>(claims[i] - claims[i - 1]).count());
  }
  std::cerr << claims.size() - 1 << " lists, " << r->count << " steps\n";
  return 0;
}

#include "hetplan/cluster.hpp"

#include <algorithm>

#include "hetplan/profiles.hpp"

namespace hetplan {

int Cluster::total_gpus() const {
  int total = 0;
  for (const auto& h : hosts) total += h.gpus;
  return total;
}

int Cluster::gpus_of_type(const std::string& type) const {
  int total = 0;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (type_of_host(i) == type) total += hosts[i].gpus;
  }
  return total;
}

int Cluster::hosts_of_type(const std::string& type) const {
  int total = 0;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (type_of_host(i) == type) ++total;
  }
  return total;
}

std::vector<std::string> Cluster::sorted_types() const {
  std::vector<std::string> types;
  for (std::size_t i = 0; i < hosts.size(); ++i) types.push_back(type_of_host(i));
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return types;
}

double Cluster::memory_mb_of_type(const std::string& type) const {
  for (const auto& s : specs) {
    if (s.type == type) return s.memory_gb * 1024;
  }
  return 0;
}

const ProfileEntry* ProfileSet::find(const std::string& type, int tp, int bs) const {
  auto t = entries.find(type);
  if (t == entries.end()) return nullptr;
  auto e = t->second.find({tp, bs});
  return e == t->second.end() ? nullptr : &e->second;
}

}  // namespace hetplan

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
  // A cluster has many hosts and few types: each type is copied once, when first seen.
  std::vector<std::string> types;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const std::string& type = type_of_host(i);
    if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
  }
  std::sort(types.begin(), types.end());
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

// The GPU cluster: hostfile lines (one node each) and clusterfile entries (per IP: type, bandwidths, memory).
#pragma once

#include <string>
#include <vector>

namespace hetplan {

struct HostEntry {
  std::string ip;
  int gpus = 0;
};

struct NodeSpec {
  std::string ip;
  std::string type;
  double inter_bandwidth = 0;  // GB/s between nodes
  double intra_bandwidth = 0;  // GB/s inside a node
  double memory_gb = 0;        // per GPU
};

struct Cluster {
  std::vector<HostEntry> hosts;  // hostfile order
  std::vector<NodeSpec> specs;   // clusterfile order (the first entry of a type gives that type's memory)

  // Index into specs of each host, filled by make_cluster.
  std::vector<int> host_spec;

  [[nodiscard]] const NodeSpec& spec_of_host(std::size_t host) const { return specs[host_spec[host]]; }
  [[nodiscard]] const std::string& type_of_host(std::size_t host) const { return spec_of_host(host).type; }
  [[nodiscard]] int total_gpus() const;
  [[nodiscard]] int gpus_of_type(const std::string& type) const;
  [[nodiscard]] int hosts_of_type(const std::string& type) const;
  // Distinct device types of the hosts, sorted by name (byte order): the pinned node-order basis.
  [[nodiscard]] std::vector<std::string> sorted_types() const;
  // Memory of one GPU of this type in MB, from the first clusterfile entry of that type.
  [[nodiscard]] double memory_mb_of_type(const std::string& type) const;
};

}  // namespace hetplan

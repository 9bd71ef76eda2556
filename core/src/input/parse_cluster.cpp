#include <cctype>
#include <map>
#include <set>
#include <string>

#include "hetplan/parse.hpp"
#include "input/json_util.hpp"
#include "input/parse_values.hpp"

namespace hetplan {

namespace {

constexpr int kMaxSlots = 64;
constexpr int kMaxHosts = 4096;

std::string trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split_ws(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (std::isspace(static_cast<unsigned char>(ch)) != 0) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool parse_slots(const std::string& s, int& out) {
  if (s.empty() || s.size() > 6) return false;
  int v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + (ch - '0');
  }
  out = v;
  return true;
}

}  // namespace

Outcome<std::vector<HostEntry>> parse_hostfile(std::string_view text, const std::string& source) {
  std::vector<HostEntry> hosts;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::string line(raw);
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    line = trim(line);
    if (line.empty()) {
      if (end == text.size()) break;
      continue;
    }
    const std::string where = source + ":" + std::to_string(line_no) + ": ";
    auto tokens = split_ws(line);
    if (tokens.size() != 2) {
      return Error{where + "expected 'IP slots=N' (or 'IP N'), got '" + line + "'"};
    }
    std::string count = tokens[1];
    if (count.rfind("slots=", 0) == 0) count = count.substr(6);
    int slots = 0;
    if (!parse_slots(count, slots) || slots < 1 || slots > kMaxSlots) {
      return Error{where + "slots must be a whole number from 1 to " + std::to_string(kMaxSlots) + ", got '" +
                   tokens[1] + "'"};
    }
    if (hosts.size() >= static_cast<std::size_t>(kMaxHosts)) {
      return Error{where + "more than " + std::to_string(kMaxHosts) + " nodes"};
    }
    hosts.push_back(HostEntry{tokens[0], slots});
    if (end == text.size()) break;
  }
  if (hosts.empty()) return Error{source + ": no nodes (expected lines 'IP slots=N')"};
  return hosts;
}

Outcome<std::vector<NodeSpec>> parse_clusterfile(std::string_view text, const std::string& source) {
  auto parsed = internal::parse_json(text, source);
  if (!parsed) return parsed.error();
  return internal::clusterfile_from_json(*parsed, source);
}

Outcome<std::vector<NodeSpec>> internal::clusterfile_from_json(const Json& root, const std::string& source) {
  internal::JsonReader r(source);
  if (!root.is_object() || root.empty()) {
    return r.error("(top level)", "an object mapping each node IP to its description", &root);
  }
  std::vector<NodeSpec> specs;
  for (const auto& [ip, node] : root.items()) {
    const std::string path = "\"" + ip + "\"";
    if (!node.is_object()) return r.error(path, "an object", &node);
    NodeSpec s;
    s.ip = ip;
    auto type = r.string(node, "instance_type", path, true);
    auto inter = r.number(node, "inter_bandwidth", path, true, true);
    auto intra = r.number(node, "intra_bandwidth", path, true, true);
    auto mem = r.number(node, "memory", path, true, true);
    if (r.failed()) return r.first_error();
    s.type = *type;
    s.inter_bandwidth = *inter;
    s.intra_bandwidth = *intra;
    s.memory_gb = *mem;
    specs.push_back(s);
  }
  return specs;
}

Outcome<Cluster> make_cluster(std::vector<HostEntry> hosts, std::vector<NodeSpec> specs,
                              const std::string& hostfile_source, const std::string& clusterfile_source) {
  Cluster c;
  c.hosts = std::move(hosts);
  c.specs = std::move(specs);
  std::map<std::string, int> by_ip;
  for (std::size_t i = 0; i < c.specs.size(); ++i) by_ip.emplace(c.specs[i].ip, static_cast<int>(i));
  for (const auto& h : c.hosts) {
    auto it = by_ip.find(h.ip);
    if (it == by_ip.end()) {
      return Error{hostfile_source + ": node " + h.ip + " is not described in " + clusterfile_source};
    }
    c.host_spec.push_back(it->second);
  }
  return c;
}

}  // namespace hetplan

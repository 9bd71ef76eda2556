// A cluster as the core reads it (a hostfile and a clusterfile) written from the form's GPU table, for
// measured profiles loaded without those two files; and the other way round, a loaded cluster described per
// type for the page to show. No DOM here: the node tests import this module too.

import {FieldError, TYPE_COLUMN_LABELS, typeCellLabel} from './form-errors.js';

// One address per type, hosts listed type by type in the table's order: the order fixes the enumeration, as
// for the synthetic cases the core writes (core/src/api/json_api.cpp, synthetic_case_json).
const typeAddress = (index) => `10.0.0.${index + 1}`;

// The row of the GPU table whose hosts have this address; null for an address the page does not write.
export function rowOfAddress(address) {
  const m = /^10\.0\.0\.([1-9]\d*)$/.exec(String(address));
  return m ? Number(m[1]) - 1 : null;
}

// The most nodes a hostfile may list (core/src/input/parse_cluster.cpp, kMaxHosts): a row asking for more is
// refused here, before the page writes a line per node (a billion would take the page's memory).
const MAX_NODES = 4096;

// types: [{name, memory, intra_bandwidth, inter_bandwidth, nodes, gpus_per_node}] (rows with 0 nodes are
// left out). Returns {hostfile, clusterfile}; throws a FieldError naming the cell (or the Nodes column) when a
// used row is incomplete, a node count is not one a hostfile can list, or no row has nodes. Values the
// hostfile or clusterfile can hold are written as they are: the module checks them as it checks a synthetic
// spec's, and cluster-errors.js finds the cell of its message.
export function clusterFromTypes(types) {
  let hostfile = '';
  const clusterfile = {};
  types.forEach((t, i) => {
    const refuse = (field, reason) => {
      throw new FieldError(`${typeCellLabel(i, t.name, TYPE_COLUMN_LABELS[field])}: ${reason}`, {row: i, column: field});
    };
    if (!t.nodes) return;
    // In the synthetic form's words for the same field.
    if (!Number.isInteger(t.nodes) || t.nodes < 0 || t.nodes > MAX_NODES) {
      refuse('nodes', `expected a whole number from 0 to ${MAX_NODES}, got ${t.nodes}`);
    }
    // In the table's column order: the first blank the user sees is the one named.
    for (const field of ['memory', 'intra_bandwidth', 'inter_bandwidth', 'gpus_per_node']) {
      if (typeof t[field] !== 'number' || !Number.isFinite(t[field])) refuse(field, `needed for its ${t.nodes} node(s)`);
    }
    const ip = typeAddress(i);
    hostfile += `${ip} slots=${t.gpus_per_node}\n`.repeat(t.nodes);
    clusterfile[ip] = {
      instance_type: t.name,
      inter_bandwidth: t.inter_bandwidth,
      intra_bandwidth: t.intra_bandwidth,
      memory: t.memory,
    };
  });
  if (hostfile === '') {
    throw new FieldError(`GPU types, ${TYPE_COLUMN_LABELS.nodes}: no nodes (set the nodes of at least one GPU type)`,
        {column: 'nodes'});
  }
  return {hostfile, clusterfile};
}

// A loaded hostfile and clusterfile per type, in the order types first appear in the hostfile:
// [{name, nodes, gpus: [GPUs of each node], memory, intra_bandwidth, inter_bandwidth}]. Hosts the clusterfile
// lacks are left out (the core refuses the case and says which).
export function clusterTypes(hostfile, clusterfile) {
  const byType = new Map();
  for (const line of String(hostfile).split(/\r?\n/)) {
    const m = /^\s*(\S+)\s+(?:slots\s*=\s*)?(\d+)\s*$/.exec(line);
    const node = m ? clusterfile?.[m[1]] : null;
    if (!node) continue;
    const name = String(node.instance_type);
    if (!byType.has(name)) {
      byType.set(name, {name, nodes: 0, gpus: [], memory: node.memory, intra_bandwidth: node.intra_bandwidth,
        inter_bandwidth: node.inter_bandwidth});
    }
    const t = byType.get(name);
    t.nodes += 1;
    t.gpus.push(Number(m[2]));
  }
  return [...byType.values()];
}

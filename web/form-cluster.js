// A cluster as the core reads it (a hostfile and a clusterfile) written from the form's GPU table, for
// measured profiles loaded without those two files; and the other way round, a loaded cluster described per
// type for the page to show. No DOM here: the node tests import this module too.

import {InputError} from './case-files.js';

// One address per type, hosts listed type by type in the table's order: the order fixes the enumeration, as
// for the synthetic cases the core writes (core/src/api/json_api.cpp, synthetic_case_json).
const typeAddress = (index) => `10.0.0.${index + 1}`;

// types: [{name, memory, intra_bandwidth, inter_bandwidth, nodes, gpus_per_node}] (rows with 0 nodes are
// left out). Returns {hostfile, clusterfile}; throws an InputError naming the row when a used row is
// incomplete or no row has nodes.
export function clusterFromTypes(types) {
  let hostfile = '';
  const clusterfile = {};
  types.forEach((t, i) => {
    if (!t.nodes) return;
    if (!Number.isInteger(t.nodes) || t.nodes < 0) throw new InputError(`GPU type ${t.name}: Nodes must be a whole number`);
    // In the table's column order: the first blank the user sees is the one named.
    for (const field of ['memory', 'intra_bandwidth', 'inter_bandwidth', 'gpus_per_node']) {
      if (typeof t[field] !== 'number' || !Number.isFinite(t[field])) {
        throw new InputError(`GPU type ${t.name}: ${field.replaceAll('_', ' ')} is needed for its ${t.nodes} ` +
                             'node(s)');
      }
    }
    if (!Number.isInteger(t.gpus_per_node)) throw new InputError(`GPU type ${t.name}: GPUs/node must be a whole number`);
    const ip = typeAddress(i);
    hostfile += `${ip} slots=${t.gpus_per_node}\n`.repeat(t.nodes);
    clusterfile[ip] = {
      instance_type: t.name,
      inter_bandwidth: t.inter_bandwidth,
      intra_bandwidth: t.intra_bandwidth,
      memory: t.memory,
    };
  });
  if (hostfile === '') throw new InputError('no GPUs: set Nodes of at least one GPU type in the GPU table');
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

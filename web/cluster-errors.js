// Which cell of the GPU table a module error is about when the page wrote the case's hostfile and clusterfile
// from that table (measured profiles loaded without them: form-cluster.js). The module names a line of the
// hostfile or an address in the clusterfile, text the user never saw; the page names the row and column
// instead (field-marks.js), as for a synthetic form's case (form-errors.js). No DOM here: the node tests check
// this against the module's own messages.

import {rowOfAddress} from './form-cluster.js';

// "case JSON: clusterfile: "<address>".<key>: <reason>": the keys memory, intra_bandwidth and inter_bandwidth
// are the table's columns of the same names.
const CLUSTERFILE_MESSAGE = /^case JSON: clusterfile: "([^"]*)"\.([a-z_]+): (.+)$/s;
const HOSTFILE_MESSAGE = /^case JSON: hostfile:(\d+): (.+)$/s;
// A line's slots are its row's GPUs/node, said as the synthetic form's check says it ("expected ..., got 0"),
// not in hostfile terms ("slots must be ..., got 'slots=0'").
const SLOTS_REASON = /^slots must be (.+), got '(?:slots=)?(.*)'$/s;
// The nodes of all rows together: no one cell is wrong.
const TOO_MANY_NODES = /^more than \d+ nodes$/;

// The row of line `line` (from 1) of the hostfile: the row its address was written for.
function rowOfLine(hostfile, line) {
  const address = hostfile.split('\n')[line - 1]?.trim().split(/\s+/)[0];
  return rowOfAddress(address);
}

// {target, reason} as form-errors.js fieldOfMessage gives them, for a message about the cluster written from
// the table as `hostfile`; null for a message about anything else, and when the page wrote no hostfile (the
// case has its own, and the table is not in use).
export function cellOfClusterMessage(message, hostfile) {
  if (!hostfile) return null;
  const text = String(message ?? '');
  const clusterfile = CLUSTERFILE_MESSAGE.exec(text);
  if (clusterfile) {
    const [, address, column, reason] = clusterfile;
    const row = rowOfAddress(address);
    return row === null ? null : {target: {row, column}, reason};
  }
  const line = HOSTFILE_MESSAGE.exec(text);
  if (!line) return null;
  const [, number, reason] = line;
  if (TOO_MANY_NODES.test(reason)) return {target: {column: 'nodes'}, reason};
  const slots = SLOTS_REASON.exec(reason);
  const row = rowOfLine(hostfile, Number(number));
  if (!slots || row === null) return null;
  return {target: {row, column: 'gpus_per_node'}, reason: `expected ${slots[1]}, got ${slots[2]}`};
}

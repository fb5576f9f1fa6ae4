// `npm run micro -- ls [name] | info <name> [id] | stats <name> [id]`: what `nats micro ls`,
// `info` and `stats` show, for a machine without the `nats` CLI. It asks the NATS service
// protocol ($SRV.INFO, $SRV.STATS) through @nats-io/services' ServiceClient, on the server at
// NATS_URL (default nats://127.0.0.1:4222), and prints the answers as tables laid out like the
// CLI's (`--json` prints the documents instead).
import { Svcm } from '@nats-io/services';
import { connect } from '@nats-io/transport-node';

const args = process.argv.slice(2);
const json = args.includes('--json');
const [command = 'ls', name, id] = args.filter((arg) => arg !== '--json');
const commands = { ls: list, list, info, stats };
if (!(command in commands) || (command !== 'ls' && command !== 'list' && name === undefined)) {
  console.error('usage: npm run micro -- ls [name] | info <name> [id] | stats <name> [id]  [--json]');
  process.exit(2);
}

const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
try {
  // Every instance answers; the query ends 300 ms after the last answer.
  const client = new Svcm(nc).client({ strategy: 'stall', stall: 300, maxWait: 5000 });
  await commands[command](client);
} finally {
  await nc.close();
}

async function collect(query) {
  const replies = [];
  for await (const reply of await query) replies.push(reply);
  return replies.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

async function list(client) {
  const infos = await collect(client.info(name));
  if (json) return print(infos);
  const rows = infos.map((s, i) => {
    const before = infos[i - 1];
    // As the CLI: a name, version or description the row above shows already is left blank.
    const same = (key) => before !== undefined && before[key] === s[key];
    return [same('name') ? '' : s.name, same('version') ? '' : s.version, s.id, same('description') ? '' : s.description];
  });
  console.log(table(name === undefined ? 'All Micro Services' : `${name} Micro Service`, ['Name', 'Version', 'ID', 'Description'], rows));
}

async function info(client) {
  const [nfo] = await collect(client.info(name, id));
  if (nfo === undefined) return console.log('No results received');
  const [stat] = await collect(client.stats(nfo.name, nfo.id));
  if (json) return print({ info: nfo, stats: stat });
  const lines = ['Service Information', '', `  Service: ${nfo.name} (${nfo.id})`, `  Description: ${nfo.description}`, `  Version: ${nfo.version}`];
  for (const [key, value] of Object.entries(nfo.metadata ?? {})) lines.push(`  Metadata: ${key}: ${value}`);
  lines.push('', 'Endpoints:');
  for (const endpoint of nfo.endpoints) {
    lines.push('', `    Name: ${endpoint.name}`, `    Subject: ${endpoint.subject}`, `    Queue Group: ${endpoint.queue_group}`);
    for (const [key, value] of Object.entries(endpoint.metadata ?? {})) lines.push(`    Metadata: ${key}: ${value}`);
  }
  lines.push('', `Statistics for ${stat?.endpoints?.length ?? 0} Endpoint(s):`);
  for (const e of stat?.endpoints ?? []) {
    lines.push('', `  ${e.name} Endpoint Statistics:`, '', `    Requests: ${e.num_requests}`);
    lines.push(`    Processing Time: ${duration(e.processing_time)} (average ${duration(e.average_processing_time)})`, `    Started: ${stat.started}`);
    lines.push(`    Errors: ${e.num_errors}`, ...(e.last_error ? [`    Last Error: ${e.last_error}`] : []));
  }
  console.log(lines.join('\n'));
}

async function stats(client) {
  const all = await collect(client.stats(name, id));
  if (json) return print(all);
  const rows = all.flatMap((s) => s.endpoints.map((e, i) => [i === 0 ? s.id : '', e.name, e.num_requests, e.num_errors, duration(e.processing_time), duration(e.average_processing_time)]));
  console.log(table(`${name} Service Statistics`, ['ID', 'Endpoint', 'Requests', 'Errors', 'Processing Time', 'Average Time'], rows));
}

function print(value) {
  console.log(JSON.stringify(value, null, 2));
}

/** Nanoseconds as the CLI shows a duration: `1.25s`, `12.5ms`, `830µs`. */
function duration(nanos) {
  if (nanos >= 1e9) return `${+(nanos / 1e9).toFixed(2)}s`;
  if (nanos >= 1e6) return `${+(nanos / 1e6).toFixed(2)}ms`;
  return `${+(nanos / 1e3).toFixed(0)}µs`;
}

function table(title, headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => `│ ${row.map((cell, i) => cell.padEnd(widths[i])).join(' │ ')} │`;
  const rule = (left, mid, right) => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`;
  return [title, rule('╭', '┬', '╮'), line(cells[0]), rule('├', '┼', '┤'), ...cells.slice(1).map(line), rule('╰', '┴', '╯')].join('\n');
}

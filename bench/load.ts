/**
 * A small HTTP load generator for bench/api, run as its own process so it does not share the
 * server's event loop: `connections` keep-alive connections (undici Pool) issue GET requests to one
 * URL for `seconds`, and every latency is kept, so p50/p95/p99 are exact rather than bucketed.
 * Prints one JSON line: requests, errors, requests/s, latency percentiles in ms.
 *
 * Usage: tsx bench/load.ts URL TOKEN CONNECTIONS SECONDS
 */
import { Pool } from 'undici';

const [url, token, connectionsText, secondsText] = process.argv.slice(2);
if (!url || !token) throw new Error('usage: tsx bench/load.ts URL TOKEN CONNECTIONS SECONDS');
const connections = Number(connectionsText ?? 8);
const seconds = Number(secondsText ?? 10);
const target = new URL(url);
const pool = new Pool(target.origin, { connections, pipelining: 1 });
const latencies: number[] = [];
let errors = 0;
const end = performance.now() + seconds * 1000;

async function worker(): Promise<void> {
  while (performance.now() < end) {
    const start = performance.now();
    try {
      const res = await pool.request({
        method: 'GET',
        path: `${target.pathname}${target.search}`,
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body.text();
      if (res.statusCode !== 200) errors++;
      else latencies.push(performance.now() - start);
    } catch {
      errors++;
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (performance.now() - started) / 1000;
await pool.close();
latencies.sort((a, b) => a - b);
const at = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
console.log(
  JSON.stringify({
    requests: latencies.length,
    errors,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: latencies.at(-1) ?? 0,
  }),
);

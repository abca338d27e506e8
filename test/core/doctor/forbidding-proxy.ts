/**
 * A simulated Confluent Cloud behind a proxy on 127.0.0.1 that answers chosen endpoints with a
 * status of its own (403 for a missing role, 401, 404), as the real APIs do when a key lacks a role.
 */
import { createModel, type Simulator, startSimulator } from '../../../src/core/simulate/index.ts';
import { type FakeApi, startFakeApi } from '../../helpers/fake-api.ts';

/** The key and secret the simulator accepts; the secret must never be printed. */
export const DOCTOR_KEY = 'DOCTORKEY123';
export const DOCTOR_SECRET = 'doctor-Secret-0xDEADBEEF-never-printed';

/** A running simulator and the proxy in front of it. */
export interface ForbiddingProxy {
  sim: Simulator;
  proxy: FakeApi;
  /** Base URL clients use (the proxy). */
  url: string;
  /** Makes requests whose path matches `pattern` answer `status` (default 403); `clear()` undoes it. */
  refuse(pattern: RegExp, status?: number): void;
  clear(): void;
  stop(): Promise<void>;
}

/** Starts the simulated org (a fixed clock) and its proxy. */
export async function startForbiddingProxy(now = '2026-11-05T06:00:00Z'): Promise<ForbiddingProxy> {
  const sim = await startSimulator({
    model: createModel({ seed: 7 }),
    now,
    apiKey: DOCTOR_KEY,
    apiSecret: DOCTOR_SECRET,
    retryAfterSeconds: 0,
  });
  const refusals: { pattern: RegExp; status: number }[] = [];
  const proxy = await startFakeApi(async (req) => {
    const refusal = refusals.find((r) => r.pattern.test(req.path));
    if (refusal) {
      const title =
        refusal.status === 403 ? 'Forbidden' : refusal.status === 401 ? 'Unauthorized' : 'Not Found';
      return {
        status: refusal.status,
        body: { errors: [{ status: String(refusal.status), title, detail: `${title} (proxy)` }] },
      };
    }
    const res = await fetch(`${sim.url}${req.url}`, {
      method: req.method,
      headers: {
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
      },
      ...(req.method === 'GET' ? {} : { body: req.body }),
    });
    return { status: res.status, body: await res.text() };
  });
  return {
    sim,
    proxy,
    url: proxy.url,
    refuse: (pattern, status = 403) => {
      refusals.push({ pattern, status });
    },
    clear: () => {
      refusals.length = 0;
    },
    stop: async () => {
      await proxy.close();
      await sim.stop();
    },
  };
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSimulate, startFromOptions } from '../../../src/cli/commands/simulate.ts';
import type { CliIo } from '../../../src/cli/context.ts';
import { parseConfigText } from '../../../src/core/config/load.ts';
import { CcostError } from '../../../src/core/errors/index.ts';
import { clientOf } from './client.ts';

function captureIo(): CliIo & { out: () => string } {
  let out = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: () => {},
    env: {},
    out: () => out,
  };
}

const base = {
  port: '0',
  host: '127.0.0.1',
  seed: '7',
  clusters: '4',
  principals: '12',
  start: '2026-10-01',
};

describe('ccost simulate', () => {
  it('starts the simulator, prints its URLs and credentials, and writes a working config', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ccost-sim-'));
    const file = path.join(dir, 'ccost.yaml');
    const io = captureIo();
    const sim = await startFromOptions({ ...base, writeConfig: file, faults: '{"slowMs":1}' }, io);
    try {
      expect(io.out()).toContain(`Cloud API:   ${sim.url}`);
      expect(io.out()).toContain('export CONFLUENT_CLOUD_API_KEY=SIMKEY');
      expect(io.out()).toContain('export CONFLUENT_CLOUD_API_SECRET=SIMSECRET');
      expect(sim.faults()).toEqual({ slowMs: 1 });
      const config = parseConfigText(readFileSync(file, 'utf8'));
      expect(config.organizations[0]!.api_url).toBe(sim.url);
      const res = await clientOf(sim).get('/org/v2/organizations');
      expect(res.json.data[0].id).toBe(config.organizations[0]!.id);
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad numbers and fault JSON before starting anything', async () => {
    await expect(startFromOptions({ ...base, clusters: 'many' }, captureIo())).rejects.toThrow(/--clusters/);
    await expect(startFromOptions({ ...base, faults: '{nope' }, captureIo())).rejects.toThrow(CcostError);
    await expect(startFromOptions({ ...base, faults: '{"teleport":1}' }, captureIo())).rejects.toThrow(
      /--faults/,
    );
  });

  it('registers the command with its options', () => {
    const program = new Command('ccost');
    registerSimulate(program, captureIo());
    const command = program.commands.find((c) => c.name() === 'simulate')!;
    const flags = command.options.map((o) => o.long);
    expect(flags).toEqual(
      expect.arrayContaining([
        '--port',
        '--seed',
        '--clusters',
        '--principals',
        '--write-config',
        '--faults',
        '--start',
      ]),
    );
  });
});

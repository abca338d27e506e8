import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/commands/demo.ts';
import { createModel, defaultStart } from '../../src/core/simulate/model.ts';

describe('ccost demo', () => {
  it('collects the simulated org over HTTP, allocates last month, answers for payments and draws the chart', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'ccost-demo-'));
    let out = '';
    try {
      const chart = await runDemo(
        { env: { CCOST_HOME: home }, stdout: (t) => (out += t), stderr: () => {} },
        { seed: '42', team: 'payments' },
        new Date('2026-11-23T12:00:00Z'),
      );
      expect(out).toMatch(/Collected 53 days over HTTP: \d+ billing lines, \d+ usage rows\./);
      const exact = /Allocated 2026-10: \d+ lines → \d+ allocation rows, exactly ([\d.]+) USD\./.exec(out);
      const now = new Date('2026-11-23T12:00:00Z');
      const model = createModel({ seed: '42', start: defaultStart(now) });
      expect(exact![1]).toBe(new Decimal(model.billingTotal('2026-10-01', '2026-11-01')).toFixed());
      expect(out).toMatch(/Team payments, October 2026: \$[\d,]+\.\d\d/);
      expect(out).toContain('By product');
      expect(out).toContain(`export CCOST_HOME=${path.join(home, 'demo')}`);
      const png = readFileSync(chart);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(10_000);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  COMMENT_MARKER,
  MAX_COMMENT_CHARS,
  parseRunMarker,
  type Report,
  renderComment,
  renderSummary,
  withoutRunMarker,
} from '../../src/action/render-comment.ts';
import { estimateChanges } from '../../src/core/pricing/estimate.ts';
import { pricingOptions } from '../../src/core/pricing/options.ts';
import type { ResourceChange } from '../../src/core/terraform/priced.ts';

/** `n` new Standard clusters with long addresses. */
function report(n: number): Report {
  const changes: ResourceChange[] = Array.from({ length: n }, (_, i) => {
    const address = `module.team_${i % 7}.confluent_kafka_cluster.cluster_with_a_rather_long_name["${String(i).padStart(5, '0')}"]`;
    return {
      address,
      action: 'create',
      after: {
        address,
        type: 'confluent_kafka_cluster',
        attributes: {
          cluster_type: 'standard',
          max_ecku: '2',
          cloud: 'AWS',
          region: 'us-east-1',
          availability: 'SINGLE_ZONE',
        },
        unknown: {},
      },
    };
  });
  const estimate = estimateChanges(changes, pricingOptions());
  return {
    estimate,
    owners: Object.fromEntries(changes.map((c, i) => [c.address, `team_${i % 7}`])),
    teams: [],
    month: '2026-10',
    actualsKnown: false,
    prices: { effective: [], skipped: [], listReason: 'no ccost-url given' },
    verdict: { warnings: [], failures: ['fail-above "$1" crossed: the monthly delta is large'] },
  };
}

const RUN = { runId: 42, runAttempt: 1 };

describe('comment size', () => {
  it('a small report is whole', () => {
    const body = renderComment(report(3), RUN);
    expect(body).not.toContain('cut to fit');
    expect(body).toContain('</details>');
  });

  it('above 65,536 characters the details are cut first; markers, totals, verdict and every resource stay', () => {
    const r = report(250);
    const whole = renderSummary(r);
    expect(whole.length).toBeGreaterThan(MAX_COMMENT_CHARS);
    const body = renderComment(r, RUN);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.length).toBeGreaterThan(MAX_COMMENT_CHARS - 1000);
    expect(body.startsWith(`${COMMENT_MARKER}\n<!-- ccost:run=42:1 -->\n`)).toBe(true);
    expect(body).toContain(`| after | $${(250 * 2 * 0.75 * 730).toLocaleString('en-US')}.00 |`);
    expect(body).toContain('> ❌ **fail-above "$1" crossed');
    expect(body).toMatch(/_… \d+ more lines cut to fit the comment; the job summary has them all._/);
    expect(body).toContain('["00249"]` | standard, max_ecku 2');
    expect(body).toContain('</details>');
    // The summary keeps everything.
    expect(whole).not.toContain('cut to fit');
    expect(whole).toContain('**Assumptions**');
  });

  it('when the resources alone do not fit, the table is cut too, saying how many are left out', () => {
    const body = renderComment(report(1000), RUN);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toMatch(/\| \| … \d+ more resources \(see the job summary\) \| \| \| \|/);
    expect(parseRunMarker(body)).toEqual(RUN);
    expect(body).toContain('| **delta** |');
  });

  it('tells bodies apart only by content, not by run', () => {
    const r = report(2);
    const a = renderComment(
      { ...r, runUrl: 'https://github.com/acme/infra/actions/runs/1' },
      { runId: 1, runAttempt: 1 },
    );
    const b = renderComment(
      { ...r, runUrl: 'https://github.com/acme/infra/actions/runs/2' },
      { runId: 2, runAttempt: 3 },
    );
    expect(a).not.toBe(b);
    expect(withoutRunMarker(a)).toBe(withoutRunMarker(b));
  });
});

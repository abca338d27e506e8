import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors/index.ts';
import { readPlan } from '../../../src/core/terraform/plan.ts';

const PLAN = path.resolve(import.meta.dirname, '../../fixtures/terraform/estimate/plan.json');

function planWith(actions: string[], before: unknown, after: unknown): string {
  return JSON.stringify({
    format_version: '1.2',
    resource_changes: [
      {
        address: 'confluent_ksql_cluster.k',
        mode: 'managed',
        type: 'confluent_ksql_cluster',
        change: { actions, before, after },
      },
    ],
  });
}

describe('readPlan', () => {
  it('maps every action form', () => {
    const cases: [string[], string][] = [
      [['create'], 'create'],
      [['update'], 'update'],
      [['delete'], 'delete'],
      [['delete', 'create'], 'replace'],
      [['create', 'delete'], 'replace'],
      [['no-op'], 'no-op'],
      [['read'], 'no-op'],
      [['forget'], 'no-op'],
      [['something-new'], 'no-op'],
    ];
    for (const [actions, expected] of cases) {
      const [change] = readPlan('plan.json', planWith(actions, { csu: 1 }, { csu: 2 }));
      expect(change!.action, actions.join(',')).toBe(expected);
    }
    const [replace] = readPlan('plan.json', planWith(['delete', 'create'], { csu: 1 }, { csu: 2 }));
    expect(replace!.before!.attributes.csu).toBe('1');
    expect(replace!.after!.attributes.csu).toBe('2');
    const [created] = readPlan('plan.json', planWith(['create'], null, { csu: 4 }));
    expect(created!.before).toBeUndefined();
  });

  it('keeps only priced attributes: no secret from the plan survives', () => {
    const changes = readPlan('plan.json', readFileSync(PLAN, 'utf8'));
    expect(JSON.stringify(changes)).not.toMatch(/SECRET/);
    expect(changes.map((c) => c.address)).not.toContain('data.confluent_organization.main');
    expect(changes.map((c) => c.address)).not.toContain('aws_vpc_endpoint.x');
  });

  it('marks values known only after apply', () => {
    const text = JSON.stringify({
      resource_changes: [
        {
          address: 'confluent_flink_compute_pool.p',
          type: 'confluent_flink_compute_pool',
          change: {
            actions: ['create'],
            before: null,
            after: { cloud: 'AWS' },
            after_unknown: { max_cfu: true },
          },
        },
      ],
    });
    const [change] = readPlan('plan.json', text);
    expect(change!.after!.unknown.max_cfu).toBe('known only after apply');
  });

  it('names the line of bad JSON without quoting the file', () => {
    const text = '{\n  "resource_changes": [\n    {"secret": "SECRET-VALUE",,}\n  ]\n}';
    const err = (() => {
      try {
        readPlan('plan.json', text);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^plan\.json:3:\d+: not valid JSON$/);
    expect(() => readPlan('plan.json', '{"foo": 1}')).toThrow(/not a Terraform plan/);
  });
});

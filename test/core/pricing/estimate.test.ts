import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../../src/core/pricing/catalog.ts';
import { type Estimate, estimateChanges } from '../../../src/core/pricing/estimate.ts';
import type { PricingOptions } from '../../../src/core/pricing/options.ts';
import { renderEstimate } from '../../../src/core/pricing/render.ts';
import { diffResources } from '../../../src/core/terraform/diff.ts';
import { loadConfiguration } from '../../../src/core/terraform/load.ts';
import { readPlan } from '../../../src/core/terraform/plan.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/terraform/estimate');
const options: PricingOptions = { catalog: DEFAULT_CATALOG, overrides: { 'connect.task_hour': '0.1' } };

/** Catalog unit price × quantity × 730, computed here independently of the pricer. */
function monthly(key: string, quantity: number): Decimal {
  return new Decimal(DEFAULT_CATALOG.entries[key]!.unitPrice!).times(quantity).times(730);
}

function row(estimate: Estimate, address: string) {
  const found = estimate.resources.find((r) => r.address === address);
  if (!found) throw new Error(`no ${address}`);
  return found;
}

describe('estimateChanges on a PR (base → head HCL)', () => {
  let hcl: Estimate;
  let plan: Estimate;
  beforeAll(async () => {
    const base = await loadConfiguration(path.join(FIXTURE, 'base'));
    const head = await loadConfiguration(path.join(FIXTURE, 'head'));
    hcl = estimateChanges(diffResources(base, head), options);
    plan = estimateChanges(
      readPlan('plan.json', readFileSync(path.join(FIXTURE, 'plan.json'), 'utf8')),
      options,
    );
  });

  it('adds a Dedicated cluster with 2 CKUs (from a local module)', () => {
    const r = row(hcl, 'module.payments.confluent_kafka_cluster.this');
    expect(r.action).toBe('create');
    expect(r.delta).toBe(monthly('kafka.dedicated.cku_hour', 2).toString());
    expect(r.whatChanged).toContain('cku 2');
  });

  it("scales a Standard cluster's max eCKU from 2 to 4", () => {
    const r = row(hcl, 'confluent_kafka_cluster.orders');
    expect(r.action).toBe('update');
    expect(r.whatChanged).toBe('max_ecku 2 → 4');
    expect(r.delta).toBe(monthly('kafka.standard.ecku_hour', 2).toString());
  });

  it('adds a connector with 4 tasks (tasks.max from terraform.tfvars, for_each over toset)', () => {
    const r = row(hcl, 'confluent_connector.sink["orders"]');
    expect(r.action).toBe('create');
    expect(r.delta).toBe('292');
    expect(r.items[0]).toMatchObject({ quantity: '4', basis: 'override' });
  });

  it('adds a Flink pool', () => {
    expect(row(hcl, 'confluent_flink_compute_pool.main').delta).toBe(
      monthly('flink.cfu_hour', 10).toString(),
    );
  });

  it('deletes a cluster: negative delta', () => {
    const r = row(hcl, 'confluent_kafka_cluster.legacy');
    expect(r.action).toBe('delete');
    expect(r.delta).toBe(monthly('kafka.enterprise.ecku_hour', 1).neg().toString());
  });

  it('replaces a Basic cluster with an Enterprise one', () => {
    const r = row(hcl, 'confluent_kafka_cluster.analytics');
    expect(r.action).toBe('replace');
    expect(r.monthlyBefore).toBe('0');
    expect(r.delta).toBe(monthly('kafka.enterprise.ecku_hour', 1).toString());
  });

  it('sums exactly', () => {
    const delta = monthly('kafka.dedicated.cku_hour', 2)
      .plus(monthly('kafka.standard.ecku_hour', 2))
      .plus(292)
      .plus(monthly('flink.cfu_hour', 10))
      .minus(monthly('kafka.enterprise.ecku_hour', 1))
      .plus(monthly('kafka.enterprise.ecku_hour', 1));
    expect(hcl.delta).toBe(delta.toString());
    expect(new Decimal(hcl.after).minus(hcl.before).toString()).toBe(hcl.delta);
    expect(hcl.deltaPercent).toBe(new Decimal(hcl.delta).div(hcl.before).times(100).toFixed(2));
    expect(hcl.notEstimated).toEqual([]);
  });

  it('a plan JSON with the same changes gives the same numbers', () => {
    expect({
      before: plan.before,
      after: plan.after,
      delta: plan.delta,
      deltaPercent: plan.deltaPercent,
    }).toEqual({
      before: hcl.before,
      after: hcl.after,
      delta: hcl.delta,
      deltaPercent: hcl.deltaPercent,
    });
    const deltas = (e: Estimate) =>
      Object.fromEntries(
        e.resources.filter((r) => r.action !== 'no-op').map((r) => [r.address, [r.action, r.delta]]),
      );
    const planDeltas = deltas(plan);
    delete planDeltas['confluent_api_key.app'];
    expect(planDeltas).toEqual(deltas(hcl));
  });

  it('never renders a secret from the plan, in any format', () => {
    for (const format of ['table', 'markdown', 'json'] as const) {
      const text = renderEstimate(plan, format);
      expect(text, format).not.toMatch(/SECRET|do-not-print-me/);
    }
  });

  it('markdown has the totals, symbols and a collapsible details section', () => {
    const md = renderEstimate(hcl, 'markdown');
    expect(md).toContain('| before | $2,737.50 |');
    expect(md).toMatch(/\| \*\*delta\*\* \| \*\*\+\$\d[\d,]*\.\d\d\*\* \(\+\d+\.\d\d%\) \|/);
    expect(md).toContain('| + | `module.payments.confluent_kafka_cluster.this` |');
    expect(md).toContain('| ~ | `confluent_kafka_cluster.orders` | max_ecku 2 → 4 | +$1,095.00 |');
    expect(md).toContain('| − | `confluent_kafka_cluster.legacy` |');
    expect(md).toContain('| −/+ | `confluent_kafka_cluster.analytics` |');
    expect(md).toMatch(/<details><summary>[^<]+<\/summary>[\s\S]*\*\*Assumptions\*\*[\s\S]*<\/details>/);
    expect(md).toContain('monthly = 730 hours');
    expect(md).toContain('| override |');
  });
});

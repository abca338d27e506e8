import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/action/main.ts';
import { mapEffectivePrices } from '../../src/action/map-effective-prices.ts';
import { crosses, parseThreshold } from '../../src/action/parse-threshold.ts';
import { addressNames, createOwnerResolver } from '../../src/action/resolve-owner.ts';
import { parseConfigText } from '../../src/core/config/load.ts';
import { DEFAULT_CATALOG } from '../../src/core/pricing/catalog.ts';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.ts';
import { CONFIG_YAML, type FakeCcost, FIXTURE, Runner, startFakeCcost } from './harness.ts';

const TOKEN = 'ghs_test_token';
const runner = new Runner();
const config = runner.file('ccost.yaml', CONFIG_YAML);
let gh: FakeGitHub;
let ccost: FakeCcost;

const price = (lineType: string, unitPrice: string, orgId = 'org-1', quantity = '1000') => ({
  orgId,
  product: lineType.split('_')[0]!,
  lineType,
  unit: null,
  quantity,
  unitPrice,
  listUnitPrice: unitPrice,
  discountPercent: '0.0',
  from: '2026-09-01',
  to: '2026-10-01',
});

async function runAction(extra: Record<string, string> = {}) {
  const env = runner.env({
    inputs: {
      path: `${FIXTURE}head`,
      'base-path': `${FIXTURE}base`,
      config,
      'github-token': TOKEN,
      var: 'connector_tasks=4',
      ...extra,
    },
    github: gh,
  });
  return runner.run(() => run({ retryDelayMs: 1, now: () => new Date('2026-10-21T06:00:00Z') }), env);
}

beforeEach(async () => {
  gh = await startFakeGitHub({ token: TOKEN });
  ccost = await startFakeCcost();
});
afterEach(async () => {
  await gh.close();
  await ccost.close();
});
afterAll(() => runner.cleanup());

describe('thresholds', () => {
  it('parses dollars and percentages, the sign meaning the direction', () => {
    expect(parseThreshold('fail-above', '$250')).toEqual({ kind: 'usd', amount: '250', text: '$250' });
    expect(parseThreshold('fail-above', '$1,000.50')).toMatchObject({ kind: 'usd', amount: '1000.5' });
    expect(parseThreshold('fail-above', '-$100')).toMatchObject({ kind: 'usd', amount: '-100' });
    expect(parseThreshold('warn-above', '10%')).toMatchObject({ kind: 'percent', amount: '10' });
    expect(parseThreshold('warn-above', '-5.5%')).toMatchObject({ kind: 'percent', amount: '-5.5' });
    expect(parseThreshold('warn-above', ' ')).toBeUndefined();
    expect(() => parseThreshold('warn-above', 'lots')).toThrow(/^warn-above: "lots" is not a threshold/);
  });

  it('a positive threshold triggers on increases of at least it, a negative one on savings', () => {
    const up = { delta: '100', deltaPercent: '10.00' };
    const down = { delta: '-100', deltaPercent: '-10.00' };
    const t = (s: string) => parseThreshold('x', s)!;
    expect(crosses(t('$100'), up)).toBe(true);
    expect(crosses(t('$100.01'), up)).toBe(false);
    expect(crosses(t('$100'), down)).toBe(false);
    expect(crosses(t('-$100'), down)).toBe(true);
    expect(crosses(t('-$150'), down)).toBe(false);
    expect(crosses(t('-$1'), up)).toBe(false);
    expect(crosses(t('10%'), up)).toBe(true);
    expect(crosses(t('11%'), up)).toBe(false);
    expect(crosses(t('-10%'), down)).toBe(true);
    expect(crosses(t('$0'), { delta: '0', deltaPercent: '0.00' })).toBe(false);
    expect(crosses(t('$0'), { delta: '0.01', deltaPercent: null })).toBe(true);
    // From $0 before, any increase is infinitely many percent.
    expect(crosses(t('500%'), { delta: '1', deltaPercent: null })).toBe(true);
  });

  it('fail-above "$100" crossed: the check fails naming the input and the figures; the comment says so', async () => {
    const res = await runAction({ 'fail-above': '$100' });
    expect(res.failed).toBe(true);
    expect(res.errors).toEqual([
      'fail-above "$100" crossed: the monthly delta is +$6,511.60 (+237.87%), $2,737.50 → $9,249.10',
    ]);
    expect(gh.comments[0]!.body).toContain('> ❌ **fail-above "$100" crossed');
    expect(res.outputs['monthly-delta']).toBe('6511.60');
  });

  it('warn-above "10%" crossed: a warning, no failure', async () => {
    const res = await runAction({ 'warn-above': '10%', 'fail-above': '$10,000' });
    expect(res.failed).toBe(false);
    expect(res.warnings).toContain(
      'warn-above "10%" crossed: the monthly delta is +$6,511.60 (+237.87%), $2,737.50 → $9,249.10',
    );
  });

  it('a savings threshold ("-$100") does not trigger on an increase', async () => {
    const res = await runAction({ 'fail-above': '-$100' });
    expect(res.failed).toBe(false);
    expect(res.errors).toEqual([]);
  });

  it('a savings threshold triggers on a decrease (the base compared with an empty head)', async () => {
    const empty = runner.file('empty/main.tf', '# nothing\n');
    const res = await runAction({ path: empty.replace(/main\.tf$/, ''), 'fail-above': '-$1000' });
    expect(res.outputs['monthly-delta']).toBe('-2737.50');
    expect(res.errors[0]).toMatch(
      /^fail-above "-\$1000" crossed: the monthly delta is -\$2,737.50 \(-100.00%\)/,
    );
  });
});

describe('budgets', () => {
  it('puts each team’s forecast plus this change against its budget, from the ccost API', async () => {
    ccost.budgets = {
      payments: { monthly: '5000', actual: '700', forecast: '1000.50' },
      orders: { monthly: '3000', actual: '1400', forecast: '2100' },
      analytics: { monthly: null, actual: '50', forecast: '75' },
    };
    const res = await runAction({ 'ccost-url': ccost.url, 'ccost-token': ccost.token });
    expect(res.failed).toBe(false);
    const body = gh.comments[0]!.body;
    expect(body).toContain('**Team budgets** (2026-10)');
    expect(body).toContain(
      '| orders | $3,000.00 | $1,400.00 | $2,100.00 | +$1,095.00 | $3,195.00 | ❌ over |',
    );
    expect(body).toContain(
      '| payments | $2,000.00 | $700.00 | $1,000.50 | +$3,883.60 | $4,884.10 | ❌ over |',
    );
    expect(body).toContain('| analytics | — | $50.00 | $75.00 | +$3,175.50 | $3,250.50 | no budget |');
    expect(body).toContain('| unowned | — | ? | ? | -$1,642.50 | ? | no budget |');
    expect(body).not.toContain('Month-to-date actuals and forecasts are unknown');
    expect(res.outputs['over-budget']).toBe('true');
    // Budget warnings without fail-on-budget-exceeded.
    expect(res.warnings).toContain(
      'team orders would exceed its monthly budget of $3,000.00: forecast $2,100.00 + this change +$1,095.00 = $3,195.00',
    );
    const budgetCalls = ccost.requests.filter((r) => r.path.includes('/budget'));
    expect(budgetCalls.map((r) => r.path)).toEqual([
      '/api/v1/teams/analytics/budget?month=2026-10',
      '/api/v1/teams/orders/budget?month=2026-10',
      '/api/v1/teams/payments/budget?month=2026-10',
    ]);
    expect(ccost.requests.every((r) => r.authorization === `Bearer ${ccost.token}`)).toBe(true);
    expect(res.stdout.replace(`::add-mask::${ccost.token}`, '')).not.toContain(ccost.token);
  });

  it('fail-on-budget-exceeded fails the check naming each team and the figures', async () => {
    ccost.budgets = {
      payments: { monthly: '2000', actual: '700', forecast: '1000' },
      orders: { monthly: '3000', actual: '1400', forecast: '2100' },
    };
    const res = await runAction({
      'ccost-url': ccost.url,
      'ccost-token': ccost.token,
      'fail-on-budget-exceeded': 'true',
    });
    expect(res.failed).toBe(true);
    expect(res.errors).toEqual([
      [
        'fail-on-budget-exceeded: team orders would exceed its monthly budget of $3,000.00: forecast $2,100.00 + this change +$1,095.00 = $3,195.00',
        'fail-on-budget-exceeded: team payments would exceed its monthly budget of $2,000.00: forecast $1,000.00 + this change +$3,883.60 = $4,883.60',
      ].join('\n'),
    ]);
  });

  it('within budget: over-budget is false and nothing fails; ccost.yaml budgets win over the server’s', async () => {
    const roomy = runner.file(
      'roomy.yaml',
      CONFIG_YAML.replace('monthly: 2000', 'monthly: 10000').replace('monthly: 3000', 'monthly: 10000'),
    );
    ccost.budgets = {
      payments: { monthly: '1', actual: '0', forecast: '0' },
      orders: { monthly: '1', actual: '0', forecast: '0' },
      analytics: { monthly: null, actual: '0', forecast: '0' },
    };
    const res = await runAction({
      config: roomy,
      'ccost-url': ccost.url,
      'ccost-token': ccost.token,
      'fail-on-budget-exceeded': 'true',
    });
    expect(res.failed).toBe(false);
    expect(res.outputs['over-budget']).toBe('false');
    expect(gh.comments[0]!.body).toContain(
      '| payments | $10,000.00 | $0.00 | $0.00 | +$3,883.60 | $3,883.60 | ✅ within |',
    );
  });

  it('no server reachable: budgets from ccost.yaml, actuals unknown, list prices, and the comment says so', async () => {
    await ccost.close();
    const res = await runAction({ 'ccost-url': ccost.url, 'ccost-token': ccost.token });
    expect(res.failed).toBe(false);
    const body = gh.comments[0]!.body;
    expect(body).toContain('Month-to-date actuals and forecasts are unknown: no ccost server answered');
    expect(body).toMatch(
      /\*\*Prices:\*\* \*\*list\*\* prices \(catalog [^)]+\) \(GET \/api\/v1\/prices: ccost is not reachable \(ECONNREFUSED\)\)/,
    );
    expect(body).toContain('| orders | $3,000.00 | ? | ? | +$1,095.00 | ? | ❔ unknown |');
    expect(res.outputs['over-budget']).toBe('true'); // payments' change alone exceeds $2,000
  });

  it('a wrong ccost-token: list prices and unknown actuals, with the reason', async () => {
    const res = await runAction({ 'ccost-url': ccost.url, 'ccost-token': 'wrong' });
    expect(res.failed).toBe(false);
    expect(gh.comments[0]!.body).toContain('401 send a token from api.tokens (check ccost-token)');
  });
});

describe('effective prices', () => {
  it('maps API rows onto catalog keys by line type; ambiguous ones stay at list prices', () => {
    const mapped = mapEffectivePrices(
      [
        price('CONNECT_NUM_TASKS', '0.100000'),
        price('FLINK_NUM_CFUS', '0.150000'),
        price('KAFKA_NUM_CKUS', '1.000000'),
        price('CLUSTER_LINKING_WRITE', '0.040000', 'org-1', '100'),
        price('CLUSTER_LINKING_READ', '0.020000', 'org-1', '300'),
        price('SUPPORT_PLAN', '1.000000'),
        price('KSQL_NUM_CSUS', '0.000000'),
      ],
      DEFAULT_CATALOG,
    );
    expect(mapped.prices).toEqual({
      'connect.task_hour': { unitPrice: '0.1', basis: 'CONNECT_NUM_TASKS, 2026-09-01 to 2026-10-01' },
      'flink.cfu_hour': { unitPrice: '0.15', basis: 'FLINK_NUM_CFUS, 2026-09-01 to 2026-10-01' },
      'cluster_link.gb': {
        unitPrice: '0.025',
        basis: 'CLUSTER_LINKING_WRITE/CLUSTER_LINKING_READ, 2026-09-01 to 2026-10-01',
      },
    });
    expect(mapped.skipped).toEqual([
      {
        lineType: 'KAFKA_NUM_CKUS',
        reason:
          'ambiguous: bills kafka.basic.ecku_hour, kafka.standard.ecku_hour, kafka.enterprise.ecku_hour, kafka.freight.ecku_hour, kafka.dedicated.cku_hour',
      },
      { lineType: 'SUPPORT_PLAN', reason: 'not in the price catalog' },
    ]);
  });

  it('skips a line type several organizations pay for', () => {
    const mapped = mapEffectivePrices(
      [price('FLINK_NUM_CFUS', '0.15', 'org-1'), price('FLINK_NUM_CFUS', '0.18', 'org-2')],
      DEFAULT_CATALOG,
    );
    expect(mapped.prices).toEqual({});
    expect(mapped.skipped[0]!.reason).toContain('several organizations (org-1, org-2)');
  });

  it('effective prices from the API change the numbers, and the comment says "effective"', async () => {
    ccost.prices = [price('CONNECT_NUM_TASKS', '0.100000'), price('FLINK_NUM_CFUS', '0.150000')];
    const res = await runAction({ 'ccost-url': ccost.url, 'ccost-token': ccost.token });
    // Connector: 4 tasks × 730 h × $0.10 = $292 (not estimated at list: no list price);
    // Flink: 10 CFU × 730 h × $0.15 = $1,095 instead of $1,533 at list.
    expect(res.outputs['monthly-delta']).toBe(String((6511.6 + 292 - 1533 + 1095).toFixed(2)));
    const body = gh.comments[0]!.body;
    expect(body).toContain(
      "**Prices:** **effective** prices from your organization's billing lines (ccost, 2026-09-01 to 2026-10-01) for connector task, Flink CFU; **list** prices (catalog",
    );
    expect(body).toContain(
      '| + | `confluent_flink_compute_pool.main` | max_cfu 10, cloud AWS, region us-east-1 | analytics | +$1,095.00 |',
    );
    expect(body).toContain(
      '| + | `confluent_connector.sink["orders"]` | tasks_max 4, connector_class S3_SINK | orders | +$292.00 |',
    );
    expect(body).toMatch(
      /\| `confluent_flink_compute_pool.main` \| Flink CFU \| [^|]+ \| \$0.15 \| \$1,095.00 \| effective \| high \|/,
    );
    expect(ccost.requests[0]!.path).toBe('/api/v1/prices');
  });

  it('a ccost.yaml override wins over the effective price, and the comment says "override"', async () => {
    ccost.prices = [price('FLINK_NUM_CFUS', '0.150000')];
    const withOverride = runner.file(
      'override.yaml',
      `${CONFIG_YAML}\npricing:\n  overrides:\n    flink.cfu_hour: "0.10"\n`,
    );
    const res = await runAction({ 'ccost-url': ccost.url, 'ccost-token': ccost.token, config: withOverride });
    const body = gh.comments[0]!.body;
    expect(body).toContain('**override** prices from ccost.yaml for Flink CFU');
    expect(body).toContain(
      '| + | `confluent_flink_compute_pool.main` | max_cfu 10, cloud AWS, region us-east-1 | analytics | +$730.00 |',
    );
    expect(res.outputs['monthly-delta']).toBe((6511.6 - 1533 + 730).toFixed(2));
  });
});

describe('owners', () => {
  it('reads the names of an address, most specific first', () => {
    expect(addressNames('module.payments.confluent_kafka_cluster.this')).toEqual(['this', 'payments']);
    expect(addressNames('confluent_connector.sink["orders"]')).toEqual(['sink', 'orders']);
    expect(addressNames('module.a["x"].module.b[0].confluent_kafka_cluster.c["k.1"]')).toEqual([
      'c',
      'k.1',
      'b',
      'a',
      'x',
    ]);
  });

  it('maps by owner id or pattern, then by team name, else unowned', () => {
    const cfg = parseConfigText(`
teams:
  payments:
    owners: ["confluent_kafka_cluster.exact", { pattern: "pay-*" }]
  search: {}
  data:
    owners: [{ pattern: "*-events" }]
`);
    const ownerOf = createOwnerResolver(cfg, '2026-10-21');
    expect(ownerOf('confluent_kafka_cluster.exact')).toBe('payments');
    expect(ownerOf('confluent_kafka_cluster.pay-eu')).toBe('payments');
    expect(ownerOf('module.search.confluent_kafka_cluster.main')).toBe('search');
    expect(ownerOf('confluent_connector.sink["click-events"]')).toBe('data');
    expect(ownerOf('module.search.confluent_connector.x["click-events"]')).toBe('data');
    expect(ownerOf('confluent_kafka_cluster.other')).toBe('unowned');
  });
});

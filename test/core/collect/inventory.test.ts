import { describe, expect, it } from 'vitest';
import { fetchInventory } from '../../../src/core/collect/inventory.ts';
import type { CcostError } from '../../../src/core/errors/index.ts';
import { fakeApiPerTest, fixture, fixtureReply, type Handler, routes } from '../../helpers/fake-api.ts';

const serve = fakeApiPerTest('Confluent Cloud API');

const EMPTY_LIST = { status: 200, body: { api_version: 'v', kind: 'List', metadata: {}, data: [] } };

/** Per-environment lists: the fixture for env-abc123 (or env-dev456 for clusters), else empty. */
function byEnvironment(prefix: string, envs: string[]): Handler {
  return (req) => {
    const env = req.query.get('environment') ?? '';
    return envs.includes(env) ? fixtureReply(`${prefix}-${env}.json`) : EMPTY_LIST;
  };
}

const organization: Record<string, Handler> = {
  'GET /org/v2/environments': (req) =>
    fixtureReply(req.query.has('page_token') ? 'org-environments-p2.json' : 'org-environments-p1.json'),
  'GET /cmk/v2/clusters': byEnvironment('cmk-clusters', ['env-abc123', 'env-dev456']),
  'GET /fcpm/v2/compute-pools': byEnvironment('fcpm-compute-pools', ['env-abc123']),
  'GET /srcm/v3/clusters': byEnvironment('srcm-clusters', ['env-abc123']),
  'GET /ksqldbcm/v2/clusters': byEnvironment('ksqldbcm-clusters', ['env-abc123']),
  'GET /iam/v2/service-accounts': () => fixtureReply('iam-service-accounts.json'),
  'GET /iam/v2/users': () => fixtureReply('iam-users.json'),
  'GET /iam/v2/identity-providers': () => fixtureReply('iam-identity-providers.json'),
  'GET /iam/v2/identity-providers/op-12345/identity-pools': () =>
    fixtureReply('iam-identity-pools-op-12345.json'),
  'GET /iam/v2/api-keys': () => fixtureReply('iam-api-keys.json'),
  'GET /connect/v1/environments/env-abc123/clusters/lkc-ded001/connectors': () =>
    fixtureReply('connect-connectors-lkc-ded001.json'),
  'GET /connect/v1/environments/env-abc123/clusters/lkc-f3a90de/connectors': () => ({ body: {} }),
  'GET /connect/v1/environments/env-dev456/clusters/lkc-std002/connectors': () => ({ body: {} }),
};

describe('fetchInventory', () => {
  it('assembles environments, resources, principals and API keys with owners resolved', async () => {
    const { api, client } = await serve(routes(organization));
    const inventory = await fetchInventory(client, { now: new Date('2026-11-20T08:00:00Z') });

    expect(inventory.observedAt).toBe('2026-11-20T08:00:00.000Z');
    expect(inventory.environments).toEqual([
      { id: 'env-abc123', displayName: 'prod-finance01', streamGovernancePackage: 'ESSENTIALS' },
      { id: 'env-dev456', displayName: 'dev', streamGovernancePackage: 'ADVANCED' },
    ]);
    const base = { parentId: null, ownerId: null, attributes: null };
    expect(inventory.resources).toEqual([
      {
        id: 'lcc-datagen1',
        kind: 'connector',
        type: 'DatagenSource',
        cloud: 'GCP',
        region: 'us-central1',
        displayName: 'MyDatagenConnector',
        environmentId: 'env-abc123',
        parentId: 'lkc-ded001',
        ownerId: 'sa-pay01',
        attributes: { direction: 'source', tasks_max: '1', state: 'RUNNING' },
      },
      {
        id: 'lcc-gcs0002',
        kind: 'connector',
        type: 'GcsSink',
        cloud: 'GCP',
        region: 'us-central1',
        displayName: 'MyGcsLogsBucketConnector',
        environmentId: 'env-abc123',
        parentId: 'lkc-ded001',
        ownerId: 'u-4kd9x',
        attributes: { direction: 'sink', tasks_max: '1', state: 'PROVISIONING' },
      },
      {
        id: 'lcc-s3buck3',
        kind: 'connector',
        type: 'S3Sink',
        cloud: 'GCP',
        region: 'us-central1',
        displayName: 'MyS3BucketConnector',
        environmentId: 'env-abc123',
        parentId: 'lkc-ded001',
        ownerId: null,
        attributes: { direction: 'sink', tasks_max: '1', state: 'FAILED' },
      },
      {
        ...base,
        id: 'lfcp-12345',
        kind: 'flink_pool',
        type: null,
        cloud: 'AWS',
        region: 'us-west-1',
        displayName: 'flink_compute_pool_0',
        environmentId: 'env-abc123',
        attributes: { max_cfu: 5, default_pool: false },
      },
      {
        ...base,
        id: 'lkc-ded001',
        kind: 'kafka_cluster',
        type: 'Dedicated',
        cloud: 'GCP',
        region: 'us-central1',
        displayName: 'payments-dedicated',
        environmentId: 'env-abc123',
        attributes: { availability: 'MULTI_ZONE', cku: 2 },
      },
      {
        ...base,
        id: 'lkc-f3a90de',
        kind: 'kafka_cluster',
        type: 'Basic',
        cloud: 'GCP',
        region: 'us-east4',
        displayName: 'ProdKafkaCluster',
        environmentId: 'env-abc123',
        attributes: { availability: 'SINGLE_ZONE' },
      },
      {
        ...base,
        id: 'lkc-std002',
        kind: 'kafka_cluster',
        type: 'Standard',
        cloud: 'AWS',
        region: 'us-west-2',
        displayName: 'dev-standard',
        environmentId: 'env-dev456',
        attributes: { availability: 'HIGH', max_ecku: 4 },
      },
      {
        id: 'lksqlc-12345',
        kind: 'ksqldb',
        type: null,
        cloud: 'GCP',
        region: 'us-central1',
        displayName: 'ksqlDB_cluster_0',
        environmentId: 'env-abc123',
        parentId: 'lkc-ded001',
        ownerId: 'sa-12345',
        attributes: { csu: 4 },
      },
      {
        ...base,
        id: 'lsrc-12345',
        kind: 'schema_registry',
        type: 'ESSENTIALS',
        cloud: 'GCP',
        region: 'us-east4',
        displayName: 'Stream Governance package',
        environmentId: 'env-abc123',
      },
    ]);
    expect(inventory.principals).toEqual([
      { id: 'pool-ab12', kind: 'identity_pool', displayName: 'analytics-jobs', description: 'Spark jobs' },
      {
        id: 'sa-12345',
        kind: 'service_account',
        displayName: 'DeLorean_auto_repair',
        description: "Doc's repair bot for the DeLorean",
      },
      { id: 'sa-pay01', kind: 'service_account', displayName: 'payments-connect', description: '' },
      { id: 'u-4kd9x', kind: 'user', displayName: 'Marty McFly', description: 'marty.mcfly@example.com' },
    ]);
    expect(inventory.apiKeys).toEqual([
      {
        id: 'ABCDEFGH12345678',
        ownerId: 'sa-pay01',
        ownerKind: 'service_account',
        resourceId: 'lkc-ded001',
        displayName: 'payments producer',
      },
      {
        id: 'IJKLMNOP12345678',
        ownerId: 'u-4kd9x',
        ownerKind: 'user',
        resourceId: 'lkc-f3a90de',
        displayName: 'marty laptop',
      },
      {
        id: 'QRSTUVWX12345678',
        ownerId: 'sa-12345',
        ownerKind: 'service_account',
        resourceId: null,
        displayName: 'cloud key',
      },
    ]);

    // Every list call asks for 100 per page; environments followed metadata.next onto the fake host.
    const lists = api.requests.filter((r) => !r.path.startsWith('/connect/'));
    for (const r of lists) expect(r.query.get('page_size')).toBe('100');
    expect(api.requests.filter((r) => r.path === '/org/v2/environments').map((r) => r.url)).toEqual([
      '/org/v2/environments?page_size=100',
      '/org/v2/environments?page_token=UvmDWOB1iwfAIBPj6EYb&page_size=100',
    ]);
    expect(
      api.requests
        .filter((r) => r.path.startsWith('/connect/'))
        .map((r) => r.url)
        .sort(),
    ).toEqual([
      '/connect/v1/environments/env-abc123/clusters/lkc-ded001/connectors?expand=info,status,id',
      '/connect/v1/environments/env-abc123/clusters/lkc-f3a90de/connectors?expand=info,status,id',
      '/connect/v1/environments/env-dev456/clusters/lkc-std002/connectors?expand=info,status,id',
    ]);
    expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('names the endpoint and field when a cluster breaks the schema', async () => {
    const list = JSON.parse(fixture('cmk-clusters-env-abc123.json'));
    const third = structuredClone(list.data[1]);
    third.id = 'lkc-broken';
    third.spec.config.kind = null;
    list.data.push(third);
    const { client } = await serve(
      routes({ ...organization, 'GET /cmk/v2/clusters': () => ({ body: list }) }),
    );
    const error = await fetchInventory(client).catch((e: unknown) => e);
    expect((error as CcostError).code).toBe('api_response_invalid');
    expect((error as Error).message).toBe(
      'GET /cmk/v2/clusters: data[2].spec.config.kind: expected string, received null (the API answered in a shape ccost does not know)',
    );
  });

  it('fails the whole listing when one call fails, so nothing is recorded as gone', async () => {
    const { client } = await serve(
      routes({
        ...organization,
        'GET /iam/v2/identity-providers': () => ({
          status: 403,
          body: { errors: [{ status: '403', title: 'Forbidden', detail: 'needs OrganizationAdmin' }] },
        }),
      }),
    );
    await expect(fetchInventory(client)).rejects.toThrow(
      'Confluent Cloud API: GET /iam/v2/identity-providers: HTTP 403 Forbidden: needs OrganizationAdmin',
    );
  });
});

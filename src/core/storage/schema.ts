/**
 * The one database schema, shared by PGlite and PostgreSQL. Money and quantities are `numeric`
 * (read back as strings, never JS numbers). Inventory rows carry validity intervals
 * [valid_from, valid_to) so a past month is allocated with the names and owners it had then.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const validFrom = () => timestamp('valid_from', { withTimezone: true, mode: 'string' }).notNull();
const validTo = () => timestamp('valid_to', { withTimezone: true, mode: 'string' });

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  displayName: text('display_name'),
  createdAt: createdAt(),
});

export const environments = pgTable(
  'environments',
  {
    orgId: text('org_id').notNull(),
    id: text('id').notNull(),
    displayName: text('display_name'),
    streamGovernancePackage: text('stream_governance_package'),
    validFrom: validFrom(),
    validTo: validTo(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id, t.validFrom] })],
);

/** Clusters, connectors, compute pools, ksqlDB, Schema Registry, cluster links, and others. */
export const resources = pgTable(
  'resources',
  {
    orgId: text('org_id').notNull(),
    id: text('id').notNull(),
    /** kafka_cluster, connector, custom_connector, flink_pool, ksqldb, schema_registry, cluster_link, … */
    kind: text('kind').notNull(),
    /** Cluster type or package: Basic, Standard, Enterprise, Dedicated, ESSENTIALS, … */
    type: text('type'),
    cloud: text('cloud'),
    region: text('region'),
    displayName: text('display_name'),
    environmentId: text('environment_id'),
    /** The Kafka cluster a connector runs on, or a cluster link's source cluster. */
    parentId: text('parent_id'),
    /** The principal that owns the resource (ksqlDB credential identity, connector service account). */
    ownerId: text('owner_id'),
    attributes: jsonb('attributes').$type<Record<string, unknown>>(),
    validFrom: validFrom(),
    validTo: validTo(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id, t.validFrom] }),
    index('resources_env_idx').on(t.orgId, t.environmentId),
  ],
);

/** Service accounts, users, identity pools, and ids seen in usage but missing from inventory. */
export const principals = pgTable(
  'principals',
  {
    orgId: text('org_id').notNull(),
    id: text('id').notNull(),
    /** service_account, user, identity_pool, unknown */
    kind: text('kind').notNull(),
    displayName: text('display_name'),
    description: text('description'),
    validFrom: validFrom(),
    validTo: validTo(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id, t.validFrom] })],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    orgId: text('org_id').notNull(),
    id: text('id').notNull(),
    ownerId: text('owner_id').notNull(),
    ownerKind: text('owner_kind').notNull(),
    resourceId: text('resource_id'),
    displayName: text('display_name'),
    validFrom: validFrom(),
    validTo: validTo(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id, t.validFrom] }),
    index('api_keys_owner_idx').on(t.orgId, t.ownerId),
  ],
);

/**
 * One Billing API cost line, current version. The natural key is (org, day, product, line type,
 * resource, environment, network access type, tier dimensions); NULLs in it are not distinct, so
 * re-collecting a line without a resource never duplicates it.
 */
export const billingLines = pgTable(
  'billing_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: text('org_id').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    product: text('product').notNull(),
    lineType: text('line_type').notNull(),
    resourceId: text('resource_id'),
    resourceName: text('resource_name'),
    environmentId: text('environment_id'),
    networkAccessType: text('network_access_type'),
    /** Canonical JSON text (sorted keys) so it can take part in the unique key. */
    tierDimensions: text('tier_dimensions'),
    sourceId: text('source_id'),
    granularity: text('granularity'),
    unit: text('unit'),
    price: numeric('price'),
    quantity: numeric('quantity'),
    originalAmount: numeric('original_amount').notNull(),
    discountAmount: numeric('discount_amount'),
    amount: numeric('amount').notNull(),
    description: text('description'),
    raw: jsonb('raw').notNull(),
    /** sha256 of the canonical raw line: a changed hash on re-collection is a new version. */
    contentHash: text('content_hash').notNull(),
    version: integer('version').notNull().default(1),
    firstSeenAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('billing_lines_natural_key')
      .on(
        t.orgId,
        t.startDate,
        t.product,
        t.lineType,
        t.resourceId,
        t.environmentId,
        t.networkAccessType,
        t.tierDimensions,
      )
      .nullsNotDistinct(),
    index('billing_lines_org_day_idx').on(t.orgId, t.startDate),
  ],
);

/** Previous versions of billing lines that changed on re-collection (late data, corrections). */
export const billingLineVersions = pgTable(
  'billing_line_versions',
  {
    lineId: integer('line_id').notNull(),
    version: integer('version').notNull(),
    originalAmount: numeric('original_amount').notNull(),
    discountAmount: numeric('discount_amount'),
    amount: numeric('amount').notNull(),
    quantity: numeric('quantity'),
    raw: jsonb('raw').notNull(),
    replacedAt: timestamp('replaced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.lineId, t.version] })],
);

/**
 * Usage per bucket: bytes per principal (subject_kind principal) or per topic (subject_kind topic)
 * on one resource. Granularity is day or hour.
 */
export const usage = pgTable(
  'usage',
  {
    orgId: text('org_id').notNull(),
    bucketStart: timestamp('bucket_start', { withTimezone: true, mode: 'string' }).notNull(),
    granularity: text('granularity').notNull(),
    resourceId: text('resource_id').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    metric: text('metric').notNull(),
    value: numeric('value').notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.orgId, t.granularity, t.bucketStart, t.resourceId, t.subjectKind, t.subjectId, t.metric],
    }),
  ],
);

/**
 * Whether usage for a resource and day was fetched. A day with no row here is "not collected";
 * status failed is a metrics outage. Neither is the same as zero usage.
 */
export const usageFetches = pgTable(
  'usage_fetches',
  {
    orgId: text('org_id').notNull(),
    resourceId: text('resource_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    detail: text('detail'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.resourceId, t.day] })],
);

export const allocationRuns = pgTable(
  'allocation_runs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    /** YYYY-MM */
    period: text('period').notNull(),
    ruleSetHash: text('rule_set_hash').notNull(),
    inputFingerprint: text('input_fingerprint').notNull(),
    /** running, complete, superseded */
    status: text('status').notNull(),
    isCurrent: boolean('is_current').notNull().default(false),
    lineCount: integer('line_count').notNull().default(0),
    rowCount: integer('row_count').notNull().default(0),
    total: numeric('total').notNull().default('0'),
    codeVersion: text('code_version'),
    createdAt: createdAt(),
  },
  (t) => [
    index('allocation_runs_period_idx').on(t.orgId, t.period),
    uniqueIndex('allocation_runs_one_current').on(t.orgId, t.period).where(sql`${t.isCurrent}`),
  ],
);

/** One row per (billing line, owner): the finest grain. Reports sum these upward. */
export const allocations = pgTable(
  'allocations',
  {
    runId: text('run_id').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    orgId: text('org_id').notNull(),
    environmentId: text('environment_id'),
    resourceId: text('resource_id'),
    product: text('product').notNull(),
    lineType: text('line_type').notNull(),
    lineId: integer('line_id'),
    ownerId: text('owner_id').notNull(),
    /** service_account, user, identity_pool, resource, environment, unknown, unallocated */
    ownerKind: text('owner_kind').notNull(),
    team: text('team').notNull(),
    /** This owner's part of the line's billed amount (after discounts). */
    amount: numeric('amount').notNull(),
    /** This owner's part of the line's list amount (before discounts). */
    grossAmount: numeric('gross_amount').notNull(),
    /** The line's billed amount before the split, as in Confluent's native export. */
    originalAmount: numeric('original_amount').notNull(),
    usageShare: numeric('usage_share').notNull(),
    method: text('method').notNull(),
    /** high, medium, low */
    confidence: text('confidence').notNull(),
    fallbackReason: text('fallback_reason'),
  },
  (t) => [
    index('allocations_run_idx').on(t.runId, t.bucket),
    index('allocations_run_team_idx').on(t.runId, t.team),
  ],
);

/** Files imported (native allocation exports, billing JSON), so a re-import is recognised. */
export const imports = pgTable(
  'imports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: text('org_id').notNull(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    rowCount: integer('row_count').notNull(),
    importedAt: createdAt(),
  },
  (t) => [uniqueIndex('imports_file_key').on(t.orgId, t.kind, t.sha256)],
);

/** Rows of Confluent's native cost-allocation export, kept as an allocation source. */
export const exportAllocations = pgTable(
  'export_allocations',
  {
    orgId: text('org_id').notNull(),
    /** daily, weekly, monthly */
    granularity: text('granularity').notNull(),
    bucketStart: timestamp('bucket_start', { withTimezone: true, mode: 'string' }).notNull(),
    ownerId: text('owner_id').notNull(),
    environmentId: text('environment_id').notNull().default(''),
    resourceId: text('resource_id').notNull().default(''),
    product: text('product').notNull(),
    metric: text('metric').notNull(),
    unit: text('unit'),
    chargebackCost: numeric('chargeback_cost').notNull(),
    originalAmount: numeric('original_amount').notNull(),
    usageShare: numeric('usage_share').notNull(),
    team: text('team').notNull(),
    importId: integer('import_id').notNull(),
  },
  (t) => [
    primaryKey({
      columns: [
        t.orgId,
        t.granularity,
        t.bucketStart,
        t.ownerId,
        t.environmentId,
        t.resourceId,
        t.product,
        t.metric,
      ],
    }),
  ],
);

/** How far each kind of collection has got for an org, so an interrupted run resumes. */
export const collectionCheckpoints = pgTable(
  'collection_checkpoints',
  {
    orgId: text('org_id').notNull(),
    /** billing, usage */
    kind: text('kind').notNull(),
    /** Last day (inclusive) fully collected. */
    throughDay: date('through_day', { mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.kind] })],
);

/** One collection run: its window, outcome and counts. */
export const collectionRuns = pgTable(
  'collection_runs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    windowFrom: date('window_from', { mode: 'string' }).notNull(),
    windowTo: date('window_to', { mode: 'string' }).notNull(),
    /** running, succeeded, failed */
    status: text('status').notNull(),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    error: text('error'),
    startedAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('collection_runs_org_idx').on(t.orgId, t.startedAt)],
);

/** A closed month per org: its frozen run and how it was closed. Open and provisional are derived. */
export const periodCloses = pgTable(
  'period_closes',
  {
    orgId: text('org_id').notNull(),
    /** YYYY-MM */
    period: text('period').notNull(),
    /** The allocation run the month was closed with; its figures never change. */
    runId: text('run_id').notNull(),
    reconciliationId: text('reconciliation_id'),
    forced: boolean('forced').notNull().default(false),
    reason: text('reason'),
    closedBy: text('closed_by'),
    closedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.period] })],
);

/** A reconciliation of one org's month against one run: every check with both sides. */
export const reconciliations = pgTable(
  'reconciliations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    period: text('period').notNull(),
    runId: text('run_id').notNull(),
    passed: boolean('passed').notNull(),
    result: jsonb('result').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('reconciliations_period_idx').on(t.orgId, t.period, t.createdAt)],
);

/** A correction of a closed month: the new run and what changed per team and product. */
export const restatements = pgTable(
  'restatements',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    period: text('period').notNull(),
    /** The run the month was closed with (or the previous restatement's). */
    previousRunId: text('previous_run_id').notNull(),
    runId: text('run_id').notNull(),
    reason: text('reason'),
    /** Σ new − Σ previous, exact. */
    delta: numeric('delta').notNull(),
    /** Per team and per product: before, after, delta. */
    changes: jsonb('changes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('restatements_period_idx').on(t.orgId, t.period)],
);

/** Invoice usage subtotals per org and month, for reconciliation (also settable in ccost.yaml). */
export const invoiceSubtotals = pgTable(
  'invoice_subtotals',
  {
    orgId: text('org_id').notNull(),
    period: text('period').notNull(),
    usageSubtotal: numeric('usage_subtotal').notNull(),
    source: text('source').notNull(),
    recordedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.period] })],
);

/**
 * Daily sums of one allocation run without the line grain (line type, line, method): what answers,
 * digests and the API read, so they stay fast as history grows. Written with the run, in its
 * transaction; sums exactly to the run's allocations.
 */
export const allocationRollups = pgTable(
  'allocation_rollups',
  {
    runId: text('run_id').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    orgId: text('org_id').notNull(),
    team: text('team').notNull(),
    product: text('product').notNull(),
    environmentId: text('environment_id'),
    resourceId: text('resource_id'),
    ownerId: text('owner_id').notNull(),
    ownerKind: text('owner_kind').notNull(),
    amount: numeric('amount').notNull(),
    grossAmount: numeric('gross_amount').notNull(),
    /** The part of `amount` allocated with high confidence. */
    highConfidenceAmount: numeric('high_confidence_amount').notNull().default('0'),
  },
  (t) => [
    index('allocation_rollups_run_idx').on(t.runId, t.bucket),
    index('allocation_rollups_team_idx').on(t.runId, t.team, t.bucket),
    index('allocation_rollups_owner_idx').on(t.runId, t.ownerId, t.bucket),
    index('allocation_rollups_resource_idx').on(t.runId, t.resourceId, t.bucket),
  ],
);

/**
 * The coarsest daily sums of a run: per team, product and environment (a few thousand rows a
 * month). Org-wide questions (top teams this year, a product, an environment) read these instead
 * of the owner-grain rollups. Written with the run, from its rollups; sums to the run exactly.
 */
export const allocationTeamDays = pgTable(
  'allocation_team_days',
  {
    runId: text('run_id').notNull(),
    bucket: date('bucket', { mode: 'string' }).notNull(),
    orgId: text('org_id').notNull(),
    team: text('team').notNull(),
    product: text('product').notNull(),
    environmentId: text('environment_id'),
    amount: numeric('amount').notNull(),
    grossAmount: numeric('gross_amount').notNull(),
    highConfidenceAmount: numeric('high_confidence_amount').notNull(),
  },
  (t) => [index('allocation_team_days_run_idx').on(t.runId, t.bucket)],
);

/**
 * Every scheduled message sent (digests, budget and anomaly alerts), keyed so that the same
 * message is never posted twice: the key is claimed in the transaction that decides to send.
 */
export const sentMessages = pgTable(
  'sent_messages',
  {
    /** e.g. `monthly_close:org-1:2026-10`, `budget:payments:2026-11:80`. */
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    /** pending (claimed), sent, failed */
    status: text('status').notNull(),
    messageTs: text('message_ts'),
    error: text('error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('sent_messages_kind_idx').on(t.kind, t.createdAt)],
);

/** One row per scheduled or triggered job run (collection, allocation, digests): who ran it, how it ended. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    job: text('job').notNull(),
    /** Which process ran it (host and pid), for several replicas. */
    holder: text('holder').notNull(),
    /** running, succeeded, failed, skipped */
    outcome: text('outcome').notNull(),
    trigger: text('trigger').notNull().default('schedule'),
    attempt: integer('attempt').notNull().default(1),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    counts: jsonb('counts'),
    error: text('error'),
  },
  (t) => [index('job_runs_job_idx').on(t.job, t.startedAt)],
);

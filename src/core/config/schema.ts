/**
 * `ccost.yaml`, validated with zod. Every violation names its key path and what is allowed.
 * Money and weights are strings or plain numbers in YAML; numbers are converted to their
 * decimal text before any use, never used in arithmetic.
 */
import { z } from 'zod';
import { DEFAULT_INSIGHTS, insightsConfigSchema } from '../insights/settings.ts';
import { isDecimalText } from '../money/amount.ts';
import { pricingConfigSchema } from '../pricing/options.ts';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day `YYYY-MM-DD` (UTC). */
export const isoDay = z.string().regex(ISO_DAY, 'must be a date written YYYY-MM-DD');

/** A decimal written as a YAML number or string; kept as its exact text. */
export const decimalText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine(isDecimalText, 'must be a decimal number such as 0.7 or "1250.00"');

const nonNegativeDecimal = decimalText.refine((v) => !v.startsWith('-'), 'must not be negative');

const effective = {
  /** First day the entry applies (inclusive). */
  from: isoDay.optional(),
  /** First day the entry no longer applies (exclusive). */
  until: isoDay.optional(),
  /** Restrict to one organization id. */
  org: z.string().min(1).optional(),
};

/** One ownership entry: exactly one of id, pattern or environment. */
export const ownerEntrySchema = z
  .strictObject({
    id: z.string().min(1).optional(),
    pattern: z.string().min(1).optional(),
    environment: z.string().min(1).optional(),
    ...effective,
  })
  .refine((e) => [e.id, e.pattern, e.environment].filter((v) => v !== undefined).length === 1, {
    message: 'each owner entry needs exactly one of id, pattern or environment',
  });

export const teamSchema = z.strictObject({
  owners: z.array(z.union([z.string().min(1), ownerEntrySchema])).default([]),
  budget: z.strictObject({ monthly: nonNegativeDecimal }).optional(),
  slack_channel: z.string().optional(),
  display_name: z.string().optional(),
  /** Slack user ids (U…) who may ask about this team when `slack.visibility` is `teams`. */
  slack_users: z.array(z.string().min(1)).default([]),
  /** Slack user group ids (S…) whose members may ask about this team. */
  slack_groups: z.array(z.string().min(1)).default([]),
});

/** Allocation methods a rule can name. */
export const allocationMethods = [
  'usage',
  'weighted',
  'even',
  'resource',
  'kafka_cluster',
  'environment',
  'resource_owner',
  'proportional',
  'unallocated',
] as const;
export type AllocationMethod = (typeof allocationMethods)[number];

export const usageMetrics = ['write', 'read', 'total'] as const;
export type UsageMetric = (typeof usageMetrics)[number];

export const ruleSchema = z
  .strictObject({
    product: z.string().min(1).optional(),
    line_type: z.string().min(1).optional(),
    method: z.enum(allocationMethods),
    /** For usage and weighted: which bytes weigh (write = request bytes, read = response bytes). */
    metric: z.enum(usageMetrics).optional(),
    /** For weighted: the usage part and the even part (any non-negative ratio, e.g. 0.7 and 0.3). */
    usage_weight: nonNegativeDecimal.optional(),
    even_weight: nonNegativeDecimal.optional(),
    ...effective,
  })
  .refine((r) => r.product !== undefined || r.line_type !== undefined, {
    message: 'a rule needs product or line_type to say what it applies to',
  });

/** How a topic-mode cluster's fixed part (CKU/eCKU, base, partitions) splits across its topics. */
export const topicFixedRules = ['bytes', 'even'] as const;

/** One topic → team entry of `allocation.topic_mode.topics`: exactly one of prefix or pattern. */
export const topicEntrySchema = z
  .strictObject({
    /** Topics whose name starts with this text (case-sensitive). */
    prefix: z.string().min(1).optional(),
    /** A glob over the topic name: `*` any text, `?` one character (case-sensitive). */
    pattern: z.string().min(1).optional(),
    team: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'team names are letters, digits, . _ -'),
  })
  .refine((e) => (e.prefix === undefined) !== (e.pattern === undefined), {
    message: 'each topic entry needs exactly one of prefix or pattern',
  });

const topicClusterId = (c: string | { id: string }) => (typeof c === 'string' ? c : c.id);

/**
 * Shared clusters split by topic instead of by principal (`allocation.topic_mode`): clusters by id
 * (optionally with their own fixed rule), the default fixed rule, and topics → teams (first match wins).
 */
export const topicModeSchema = z.strictObject({
  clusters: z
    .array(
      z.union([
        z.string().regex(/^lkc-/, 'must be a Kafka cluster id (lkc-…)'),
        z.strictObject({
          id: z.string().regex(/^lkc-/, 'must be a Kafka cluster id (lkc-…)'),
          fixed: z.enum(topicFixedRules).optional(),
        }),
      ]),
    )
    .refine((list) => new Set(list.map(topicClusterId)).size === list.length, {
      message: 'each cluster may appear only once',
    })
    .default([]),
  fixed: z.enum(topicFixedRules).default('bytes'),
  topics: z.array(topicEntrySchema).default([]),
});

export const organizationSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  /** Environment variable names holding the Cloud API key and secret (never the secret itself). */
  api_key_env: z.string().optional(),
  api_secret_env: z.string().optional(),
  api_url: z.url().optional(),
  telemetry_url: z.url().optional(),
  /** Client-side request rate to Confluent's APIs (requests per second); unset: only the server's limits. */
  requests_per_second: z.number().positive().optional(),
  /** Invoice usage subtotals by month (`2026-10: 12345.67`), for `ccost reconcile`. */
  invoices: z
    .record(z.string().regex(/^\d{4}-\d{2}$/, 'months are written YYYY-MM'), decimalText)
    .default({}),
});

export const collectionSchema = z.strictObject({
  /** Also keep hourly bytes per principal (daily rows are always stored; allocation uses them). */
  hourly_usage: z.boolean().default(false),
  /** Collect received, sent and retained bytes per topic (for topic views and topic-mode clusters). */
  topic_usage: z.boolean().default(true),
});

/** Who may see what in Slack, and where finance messages go. */
export const slackSchema = z.strictObject({
  /** `all`: everyone in the workspace sees every team; `teams`: members see their own teams only. */
  visibility: z.enum(['all', 'teams']).default('all'),
  /** Finance admins: see every team and the org-wide questions (top, unallocated, reconcile). */
  admins: z
    .strictObject({
      users: z.array(z.string().min(1)).default([]),
      groups: z.array(z.string().min(1)).default([]),
    })
    .default({ users: [], groups: [] }),
  /** Channel id or name for the monthly close digest and org-wide alerts. */
  finance_channel: z.string().min(1).optional(),
});

const hourOfDay = z.number().int().min(0).max(23);
const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** Scheduled Slack messages. Times are UTC. */
export const digestsSchema = z.strictObject({
  monthly_close: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Defaults to `slack.finance_channel`. */
      channel: z.string().min(1).optional(),
    })
    .default({ enabled: true }),
  weekly_team: z
    .strictObject({
      enabled: z.boolean().default(true),
      weekday: z.enum(weekdays).default('monday'),
      hour: hourOfDay.default(9),
    })
    .default({ enabled: true, weekday: 'monday', hour: 9 }),
  budget_alerts: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Percent of the monthly budget the forecast must reach; each alerts once per month. */
      thresholds: z.array(z.number().int().positive()).default([80, 100]),
    })
    .default({ enabled: true, thresholds: [80, 100] }),
  anomalies: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** A day is anomalous when its cost exceeds the baseline by this percentage… */
      threshold_percent: z.number().positive().default(50),
      /** …and by at least this many dollars (ignores noise on tiny amounts). */
      min_increase: nonNegativeDecimal.default('10'),
      /** Days before the day in question that form the baseline (their mean). */
      baseline_days: z.number().int().min(3).max(90).default(14),
      hour: hourOfDay.default(8),
      /** Defaults to each team's channel and, for resources, `slack.finance_channel`. */
      channel: z.string().min(1).optional(),
    })
    .default({ enabled: true, threshold_percent: 50, min_increase: '10', baseline_days: 14, hour: 8 }),
});

/** One bearer token of the REST API; the secret itself lives in an environment variable. */
export const apiTokenSchema = z.strictObject({
  /** A name for logs and audit (never the token). */
  name: z.string().min(1),
  /** Environment variable holding the token. */
  token_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as CCOST_API_TOKEN'),
  /** When set, the token sees only these teams' costs and budgets. */
  teams: z.array(z.string().min(1)).optional(),
  /** May trigger collection and allocation (`POST /api/v1/collect`). */
  trigger: z.boolean().default(false),
  /** May remove an organization's data (`DELETE /api/v1/orgs/{org}`); only without `teams`. */
  admin: z.boolean().default(false),
});

/** How often `ccost serve` runs the pipeline (minutes; slots are aligned to UTC). */
export const scheduleSchema = z.strictObject({
  /** Collection of every organization (trailing window: the last days are re-fetched). */
  collect_every_minutes: z.number().int().min(5).max(1440).default(60),
  /** Allocation of the open and provisional months. */
  allocate_every_minutes: z.number().int().min(15).max(10080).default(1440),
});

/** The REST API served by `ccost serve`. */
export const apiSchema = z.strictObject({
  tokens: z.array(apiTokenSchema).default([]),
});

export const configSchema = z.strictObject({
  currency: z.string().length(3).default('USD'),
  collection: collectionSchema.default({ hourly_usage: false, topic_usage: true }),
  organizations: z.array(organizationSchema).default([]),
  teams: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'team names are letters, digits, . _ -'), teamSchema)
    .default({}),
  allocation: z
    .strictObject({
      cku: z
        .strictObject({
          usage_weight: nonNegativeDecimal.default('0.5'),
          even_weight: nonNegativeDecimal.default('0.5'),
        })
        .default({ usage_weight: '0.5', even_weight: '0.5' }),
      flink: z.enum(['environment', 'compute_pool']).default('environment'),
      rules: z.array(ruleSchema).default([]),
      topic_mode: topicModeSchema.default({ clusters: [], fixed: 'bytes', topics: [] }),
    })
    .default({
      cku: { usage_weight: '0.5', even_weight: '0.5' },
      flink: 'environment',
      rules: [],
      topic_mode: { clusters: [], fixed: 'bytes', topics: [] },
    }),
  api: apiSchema.default({ tokens: [] }),
  schedule: scheduleSchema.default({ collect_every_minutes: 60, allocate_every_minutes: 1440 }),
  /** Prices for `ccost estimate` and the PR action: overrides, Flink utilization, usage profile. */
  pricing: pricingConfigSchema.default({ overrides: {}, flink_utilization: '1', usage_profile: {} }),
  slack: slackSchema.default({ visibility: 'all', admins: { users: [], groups: [] } }),
  digests: digestsSchema.default({
    monthly_close: { enabled: true },
    weekly_team: { enabled: true, weekday: 'monday', hour: 9 },
    budget_alerts: { enabled: true, thresholds: [80, 100] },
    anomalies: { enabled: true, threshold_percent: 50, min_increase: '10', baseline_days: 14, hour: 8 },
  }),
  /** Thresholds of `ccost insights` and /ccost insights (idle days, underused ratio, …); all default. */
  insights: insightsConfigSchema.default(DEFAULT_INSIGHTS),
});

export type Config = z.infer<typeof configSchema>;
export type TeamConfig = z.infer<typeof teamSchema>;
export type OwnerEntry = z.infer<typeof ownerEntrySchema>;
export type RuleConfig = z.infer<typeof ruleSchema>;
/** `allocation.topic_mode` as parsed (see {@link topicModeSchema}). */
export type TopicModeConfig = z.infer<typeof topicModeSchema>;
export type SlackConfig = z.infer<typeof slackSchema>;
export type ApiTokenConfig = z.infer<typeof apiTokenSchema>;
export type DigestsConfig = z.infer<typeof digestsSchema>;

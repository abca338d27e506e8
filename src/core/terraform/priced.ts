/**
 * A Confluent resource reduced to the attributes that decide its price. Only these attributes
 * ever leave the Terraform readers, which is how plan values (that can hold secrets) are kept out
 * of every output.
 */
export interface PricedResource {
  /** Terraform address, e.g. `module.kafka.confluent_kafka_cluster.main["a"]`. */
  address: string;
  /** Resource type, e.g. `confluent_kafka_cluster`; `module` for an unread module. */
  type: string;
  /** Priced attributes as text: `cluster_type`, `cku`, `max_ecku`, `cloud`, `tasks_max`, … */
  attributes: Record<string, string>;
  /** Priced attributes whose value is not known statically, with the reason. */
  unknown: Record<string, string>;
  /** Set when the resource as a whole cannot be read (computed count, remote module). */
  notEstimated?: string;
  /**
   * Identifiers that match the resource to one ccost knows (its Confluent `id` in a plan, its
   * `display_name`): never priced, only known identifier-like values.
   */
  identity?: { id?: string; displayName?: string };
}

/** What a change does to a resource, as Terraform would plan it. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'replace' | 'no-op';

/** One resource's change between base and head (or in a plan). */
export interface ResourceChange {
  address: string;
  action: ChangeAction;
  before?: PricedResource;
  after?: PricedResource;
  /** Why the change is unusual (an unknown plan action, a deposed object). */
  note?: string;
}

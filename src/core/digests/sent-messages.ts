/**
 * The sent-message record that makes scheduled messages go out at most once, however many
 * schedulers run: a message's key is claimed with an insert that only one process can win, then
 * marked sent (with Slack's ts) or failed.
 *
 * Retry rule: a `failed` row may be claimed again (one claimer wins, atomically), because a
 * failure is only recorded when Slack answered with an error, i.e. nothing was posted. A `pending`
 * row is never re-claimed: its owner may have crashed after Slack accepted the message, and
 * "never twice" wins over "at least once". Stale pending rows are listed by
 * {@link stalePendingMessages} for a person to check (delete the row to allow a new send).
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';
import { sentMessages } from '../storage/schema.ts';

/** A message about to be sent. */
export interface MessageClaim {
  key: string;
  /** monthly_close, weekly_team, budget_alert, anomaly, anomaly_summary */
  kind: string;
  channel: string;
}

/** A stored sent-message row. */
export type SentMessage = typeof sentMessages.$inferSelect;

/**
 * Claims `key` for this process: true when this process now owns the send (a new key, or a key
 * whose last send failed), false when another process claimed or sent it.
 */
export async function claimMessage(store: Store, claim: MessageClaim): Promise<boolean> {
  const rows = await store.db
    .insert(sentMessages)
    .values({ ...claim, status: 'pending' })
    .onConflictDoUpdate({
      target: sentMessages.key,
      set: { status: 'pending', error: null, channel: claim.channel, createdAt: sql`now()` },
      // Only a failed send is taken over; the row lock makes a single claimer win.
      setWhere: eq(sentMessages.status, 'failed'),
    })
    .returning({ key: sentMessages.key });
  return rows.length === 1;
}

/** Records that the claimed message was posted, with Slack's message ts. */
export async function markSent(store: Store, key: string, ts: string | null): Promise<void> {
  await store.db
    .update(sentMessages)
    .set({ status: 'sent', messageTs: ts, sentAt: sql`now()`, error: null })
    .where(eq(sentMessages.key, key));
}

/** Records that Slack refused the claimed message; the key may be claimed again later. `error` must carry no secret. */
export async function markFailed(store: Store, key: string, error: string): Promise<void> {
  await store.db
    .update(sentMessages)
    .set({ status: 'failed', error })
    .where(and(eq(sentMessages.key, key), eq(sentMessages.status, 'pending')));
}

/**
 * Records the error of a send whose outcome is unknown (no answer from Slack: it may have been
 * posted). The row stays pending, so it is never sent again automatically.
 */
export async function noteUncertain(store: Store, key: string, error: string): Promise<void> {
  await store.db
    .update(sentMessages)
    .set({ error: `outcome unknown: ${error}` })
    .where(and(eq(sentMessages.key, key), eq(sentMessages.status, 'pending')));
}

/**
 * Records `key` as sent by a message sent under another key (a budget alert at 100% also stands
 * for 80% when both were crossed at once). Does nothing if the key exists.
 */
export async function markCovered(store: Store, claim: MessageClaim, ts: string | null): Promise<void> {
  await store.db
    .insert(sentMessages)
    .values({ ...claim, status: 'sent', messageTs: ts, sentAt: sql`now()` })
    .onConflictDoNothing();
}

/** Gives up a claim that turned out to have nothing to send (deletes the pending row). */
export async function releaseClaim(store: Store, key: string): Promise<void> {
  await store.db
    .delete(sentMessages)
    .where(and(eq(sentMessages.key, key), eq(sentMessages.status, 'pending')));
}

/** Keys already claimed or sent (every status but failed): what is not due any more. */
export async function takenKeys(store: Store, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await store.db
    .select({ key: sentMessages.key, status: sentMessages.status })
    .from(sentMessages)
    .where(sql`${sentMessages.key} in ${keys}`);
  return new Set(rows.filter((r) => r.status !== 'failed').map((r) => r.key));
}

/** Pending rows older than `before`: sends whose owner died between claim and result. */
export async function stalePendingMessages(store: Store, before: Date): Promise<SentMessage[]> {
  return store.db
    .select()
    .from(sentMessages)
    .where(and(eq(sentMessages.status, 'pending'), lt(sentMessages.createdAt, before)));
}

/** One message's row, if any. */
export async function sentMessage(store: Store, key: string): Promise<SentMessage | undefined> {
  const [row] = await store.db.select().from(sentMessages).where(eq(sentMessages.key, key));
  return row;
}

/**
 * The org's effective unit prices, from its own billing lines: what it really pays per unit (after
 * negotiated discounts, in its regions) for each product and line type. The PR action prices
 * Terraform changes with these instead of list prices when a ccost server is reachable.
 */
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import type { Store } from '../storage/database.ts';

/** One effective price: billed amount and list amount per unit over the window. */
export interface EffectivePrice {
  orgId: string;
  product: string;
  lineType: string;
  unit: string | null;
  quantity: string;
  /** Billed (after discounts) per unit, 6 decimals. */
  unitPrice: string;
  /** List (before discounts) per unit, 6 decimals. */
  listUnitPrice: string;
  /** 1 − unitPrice / listUnitPrice, as a percentage with one decimal. */
  discountPercent: string;
  from: string;
  to: string;
}

/** Effective prices over billing days [from, to); lines without a quantity are left out. */
export async function effectivePrices(
  store: Store,
  options: { from: string; to: string; orgId?: string },
): Promise<EffectivePrice[]> {
  const rows = await store.query<{
    org_id: string;
    product: string;
    line_type: string;
    unit: string | null;
    quantity: string;
    amount: string;
    original: string;
  }>(sql`
    select org_id, product, line_type, max(unit) as unit, sum(quantity)::text as quantity,
      sum(amount)::text as amount, sum(original_amount)::text as original
    from billing_lines
    where start_date >= ${options.from}::date and start_date < ${options.to}::date
      and quantity is not null and quantity > 0 and amount >= 0
      ${options.orgId ? sql`and org_id = ${options.orgId}` : sql``}
    group by org_id, product, line_type
    order by org_id, product, line_type`);
  return rows.map((r) => {
    const quantity = new Decimal(r.quantity);
    const unitPrice = new Decimal(r.amount).div(quantity);
    const listUnitPrice = new Decimal(r.original).div(quantity);
    const discount = listUnitPrice.isZero()
      ? new Decimal(0)
      : new Decimal(1).minus(unitPrice.div(listUnitPrice)).times(100);
    return {
      orgId: r.org_id,
      product: r.product,
      lineType: r.line_type,
      unit: r.unit,
      quantity: quantity.toFixed(),
      unitPrice: unitPrice.toFixed(6, Decimal.ROUND_HALF_EVEN),
      listUnitPrice: listUnitPrice.toFixed(6, Decimal.ROUND_HALF_EVEN),
      discountPercent: discount.toFixed(1, Decimal.ROUND_HALF_EVEN),
      from: options.from,
      to: options.to,
    };
  });
}

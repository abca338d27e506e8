import { ErrorCode, InputError } from '../errors/index.ts';

/** A calendar month in UTC: `2026-10` → days [2026-10-01, 2026-11-01). */
export interface Month {
  month: string;
  from: string;
  to: string;
}

/** Parses `YYYY-MM`; `where` names the flag or field for the error message. */
export function parseMonth(text: string, where = '--month'): Month {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw new InputError(
      ErrorCode.InputInvalid,
      where,
      `"${text}" is not a month; write it as YYYY-MM, e.g. 2026-10`,
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { month: `${m[1]}-${m[2]}`, from: `${m[1]}-${m[2]}-01`, to: `${next}-01` };
}

/** The month before the one containing `now` (UTC). */
export function lastMonth(now = new Date()): Month {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return parseMonth(d.toISOString().slice(0, 7));
}

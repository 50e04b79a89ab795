import type { CsatFigures, CsatRow, DashboardFigures, GroupFigures, GroupRow } from './figures';

/**
 * The dashboard's figures as CSV (RFC 4180): one header row, then one row per total, agent,
 * channel and team, so a spreadsheet can filter by the `group` column.
 */

type Cell = string | number | null;

/**
 * One CSV field: quoted when it holds a comma, quote or line break (quotes doubled). Text that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, e.g. an agent named "=HYPERLINK(…)")
 * gets a leading apostrophe (OWASP "CSV injection").
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const CSV_HEADER = [
  'group',
  'name',
  'first_responses',
  'first_response_median_s',
  'first_response_p90_s',
  'next_responses',
  'next_response_median_s',
  'next_response_p90_s',
  'sla_breaches',
  'breaches_first_response',
  'breaches_next_response',
  'breaches_resolution',
  'conversations_handled',
  'late_replies',
  'late_reply_cost',
  'currency',
  'csat_score_pct',
  'csat_responses',
  'csat_asked',
  'csat_response_rate_pct',
  'csat_not_asked',
] as const;

/** CSAT cells of a row: empty where the group asked nothing. */
function csatCells(csat: CsatFigures | undefined): Cell[] {
  if (!csat) return [null, 0, 0, null, 0];
  return [csat.scorePct, csat.responses, csat.asked, csat.responseRatePct, csat.notAsked];
}

const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);

function figureCells(figures: GroupFigures): Cell[] {
  const { firstResponse: first, nextResponse: next, breaches, lateReplies } = figures;
  // Several currencies (a card changed currency mid-range) stay apart: "1.2; 0.5" / "USD; EUR".
  const cost = lateReplies.cost;
  return [
    first.count,
    seconds(first.medianMs),
    seconds(first.p90Ms),
    next.count,
    seconds(next.medianMs),
    seconds(next.p90Ms),
    breaches.total,
    breaches.firstResponse,
    breaches.nextResponse,
    breaches.resolution,
    figures.handled,
    lateReplies.count,
    cost.length === 1 ? (cost[0]?.amount ?? 0) : cost.map((m) => m.amount).join('; ') || 0,
    cost.map((m) => m.currency).join('; '),
  ];
}

export function dashboardCsv(figures: DashboardFigures): string {
  const csat = figures.csat;
  // A group with CSAT answers but no replies in the range still gets its row.
  const rows = (
    group: string,
    main: readonly GroupRow[],
    extra: readonly CsatRow[] | undefined,
  ): Cell[][] => {
    const byKey = new Map((extra ?? []).map((r) => [r.key, r]));
    const lines = main.map((r) => [
      group,
      r.name,
      ...figureCells(r),
      ...csatCells(byKey.get(r.key)),
    ]);
    const seen = new Set(main.map((r) => r.key));
    for (const r of extra ?? []) {
      if (!seen.has(r.key)) lines.push([group, r.name, ...EMPTY_FIGURES, ...csatCells(r)]);
    }
    return lines;
  };
  return toCsv([
    [...CSV_HEADER],
    ['total', 'All', ...figureCells(figures.totals), ...csatCells(csat?.totals)],
    ...rows('agent', figures.byAgent, csat?.byAgent),
    ...rows('channel', figures.byChannel, csat?.byChannel),
    ...rows('team', figures.byTeam, csat?.byTeam),
  ]);
}

/** The response and SLA cells of a group that has only CSAT figures. */
const EMPTY_FIGURES: Cell[] = [0, null, null, 0, null, null, 0, 0, 0, 0, 0, 0, 0, ''];

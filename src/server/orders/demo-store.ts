import { z } from 'zod';
import { NO_ORDER_DETAILS, type Order } from '../../shared/domain/model';
import { newId } from '../ids';
import type { Db, Queryable } from '../store/db';
import {
  clampOrderLimit,
  normaliseEmail,
  normaliseOrderNumber,
  normalisePhone,
  type OrderProvider,
} from './provider';

/**
 * The demo order store: orders kept in the hub's own `orders` table (provider `demo`), filled by
 * the demo simulator or imported by an admin from JSON or CSV (docs/orders-import.md).
 *
 * CSV format (RFC 4180): a header row, then one order per record. Fields are separated by commas;
 * a field containing commas, quotes or line breaks is wrapped in double quotes, and a quote
 * inside it is doubled (`"Mug ""Sunrise"""`). Columns (any order, case-insensitive, `_`/`-`/space
 * ignored): number, status, customer_name, email, phone, items, total, currency, carrier,
 * tracking_number, tracking_url, created_at. `items` is either
 *   `Title x 2 @ 19.95; Other title [SKU-7] x 1 @ 5.00`  (optional `[sku]` after the title), or
 *   a JSON array `[{"title":"…","quantity":2,"sku":"…","price":19.95}]`.
 * `created_at` is epoch milliseconds or an ISO 8601 date (without an offset it is taken as UTC).
 * Errors name the row as a spreadsheet shows it: the header is row 1, the first order row 2.
 * JSON: an array of orders (or `{ "orders": [...] }`) with the camelCase fields of `Order`;
 * errors name the 1-based position in the array (row 0: the file itself).
 */

export const DEMO_PROVIDER_ID = 'demo';

/** Order statuses as shops report them, normalised (`On hold` → `on_hold`). */
export const ORDER_STATUSES = [
  'pending',
  'processing',
  'on_hold',
  'shipped',
  'delivered',
  'completed',
  'returned',
  'refunded',
  'cancelled',
  'failed',
] as const;
export type DemoOrderStatus = (typeof ORDER_STATUSES)[number];

export interface DemoOrderItemInput {
  readonly title: string;
  readonly quantity: number;
  readonly sku?: string | null;
  /** Unit price. */
  readonly price: number;
}

/** One order as the simulator or an import supplies it; validated before it is stored. */
export interface DemoOrderInput {
  /** With or without a leading `#`; stored without it. */
  readonly number: string;
  readonly status: DemoOrderStatus;
  readonly customerName?: string | null;
  readonly email?: string | null;
  /** Any common spelling; stored normalised (`normalisePhone`) so lookups can use the index. */
  readonly phone?: string | null;
  readonly items: readonly DemoOrderItemInput[];
  /** Defaults to the sum of the items. */
  readonly total?: number;
  /** ISO 4217 code. */
  readonly currency: string;
  readonly carrier?: string | null;
  readonly trackingNumber?: string | null;
  /** http or https only. */
  readonly trackingUrl?: string | null;
  /** Epoch ms (imports may also give an ISO 8601 date). */
  readonly createdAt: number;
}

export interface ImportError {
  readonly row: number;
  readonly message: string;
}

export interface ImportReport {
  readonly imported: number;
  readonly errors: ImportError[];
}

export interface DemoOrderStore extends OrderProvider {
  /** Validates all, then inserts or updates by (provider, number) in one transaction. */
  upsert(orders: readonly DemoOrderInput[]): Promise<number>;
  importJson(text: string): Promise<ImportReport>;
  importCsv(text: string): Promise<ImportReport>;
}

/** Imports larger than this are refused as a whole (the hub holds them in memory). */
export const MAX_IMPORT_CHARS = 20_000_000;
export const MAX_IMPORT_ROWS = 50_000;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

const currencies: ReadonlySet<string> | null =
  typeof Intl.supportedValuesOf === 'function' ? new Set(Intl.supportedValuesOf('currency')) : null;

/** `""`, whitespace and `null` all mean "not given" for optional fields. */
const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((value) => (value?.trim() ? value.trim() : null));

const itemSchema = z.strictObject({
  title: z.string().trim().min(1, 'a title is required').max(500),
  quantity: z.number().int().min(1).max(100_000),
  sku: optionalText(100),
  price: z.number().min(0).max(1e9),
});

const createdAtSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const at = typeof value === 'number' ? value : parseInstant(value);
  if (at === null || !Number.isInteger(at) || at < EARLIEST || at >= LATEST) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected epoch milliseconds or an ISO 8601 date between 2000 and 2100',
    });
    return z.NEVER;
  }
  return at;
});

export const demoOrderInputSchema = z
  .strictObject({
    number: z
      .string()
      .max(60)
      .transform((value) => normaliseOrderNumber(value) ?? '')
      .pipe(
        z
          .string()
          .min(1, 'an order number is required')
          .regex(/^(?:[\p{L}\p{N}][\p{L}\p{N}._/-]*)?$/u, 'letters, digits, . _ / - only'),
      ),
    status: z
      .string()
      .transform((value) =>
        value
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, '_'),
      )
      .pipe(z.enum(ORDER_STATUSES, { error: `expected one of ${ORDER_STATUSES.join(', ')}` })),
    customerName: optionalText(200),
    email: optionalText(320).pipe(z.email('not an email address').nullable()),
    phone: optionalText(50).transform((value, ctx) => {
      if (value === null) return null;
      const phone = normalisePhone(value);
      if (phone === null) ctx.addIssue({ code: 'custom', message: 'not a phone number' });
      return phone;
    }),
    items: z.array(itemSchema).max(200),
    total: z.number().min(0).max(1e11).optional(),
    currency: z
      .string()
      .transform((value) => value.trim().toUpperCase())
      .refine((code) => /^[A-Z]{3}$/.test(code) && (currencies?.has(code) ?? true), {
        message: 'expected an ISO 4217 currency code such as EUR',
      }),
    carrier: optionalText(100),
    trackingNumber: optionalText(100),
    trackingUrl: optionalText(2048).pipe(
      z
        .url({
          protocol: /^https?$/,
          hostname: z.regexes.domain,
          error: 'expected an http or https URL',
        })
        .nullable(),
    ),
    createdAt: createdAtSchema,
  })
  .transform((order) => ({
    ...order,
    total:
      order.total ??
      Math.round(order.items.reduce((sum, item) => sum + item.price * item.quantity, 0) * 100) /
        100,
  }));

type ValidOrder = z.output<typeof demoOrderInputSchema>;

function parseInstant(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = ISO_DATE.exec(trimmed);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, offset] = match;
  // Date.parse rolls 31 February over into March: refuse days the month does not have.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) {
    return null;
  }
  if (hour === undefined) return Date.UTC(Number(year), Number(month) - 1, Number(day));
  const fraction = /\.\d+/.exec(trimmed.slice(10))?.[0] ?? '';
  // Without an offset Date.parse would use the machine's zone: take UTC so imports are stable.
  const zone =
    offset === undefined || offset.toUpperCase() === 'Z'
      ? 'Z'
      : offset.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const at = Date.parse(
    `${year}-${month}-${day}T${hour}:${minute}:${second ?? '00'}${fraction.slice(0, 4)}${zone}`,
  );
  return Number.isNaN(at) ? null : at;
}

const FIELD_LABELS: Readonly<Record<string, string>> = {
  customerName: 'customer name',
  trackingNumber: 'tracking number',
  trackingUrl: 'tracking URL',
  createdAt: 'created at',
};

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path
        .map((part) =>
          typeof part === 'number' ? `#${part + 1}` : (FIELD_LABELS[String(part)] ?? String(part)),
        )
        .join(' ');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

interface CsvRecord {
  /** 1-based record number (the header is 1), as a spreadsheet numbers rows. */
  readonly row: number;
  readonly fields: string[];
  readonly error: string | null;
}

/**
 * RFC 4180: commas between fields, CRLF (or LF, or CR) between records, double quotes around
 * fields that contain any of these, `""` for a quote inside. A stray quote is reported on its
 * record instead of silently shifting the columns of every record after it.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let fields: string[] = [];
  let field = '';
  let error: string | null = null;
  let i = 0;
  const endRecord = (): void => {
    fields.push(field);
    records.push({ row: records.length + 1, fields, error });
    fields = [];
    field = '';
    error = null;
  };
  while (i < input.length) {
    const char = input[i] as string;
    if (char === '"' && field === '') {
      // A quoted field: read to the closing quote, across separators and line breaks.
      i += 1;
      let closed = false;
      while (i < input.length) {
        const inner = input[i] as string;
        if (inner === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i += 1;
          break;
        }
        field += inner;
        i += 1;
      }
      if (!closed) error ??= 'a quoted field is never closed';
      else if (i < input.length && !',\r\n'.includes(input[i] as string)) {
        error ??= 'unexpected text after a closing quote';
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      i += 1;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      i += char === '\r' && input[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (char === '"') error ??= 'a quote inside an unquoted field (wrap the field in quotes)';
    field += char;
    i += 1;
  }
  // The last record, unless the text ended with a line break.
  if (field !== '' || fields.length > 0 || error !== null) endRecord();
  return records;
}

const CSV_COLUMNS: Readonly<Record<string, keyof DemoOrderInput>> = {
  number: 'number',
  ordernumber: 'number',
  order: 'number',
  status: 'status',
  customername: 'customerName',
  customer: 'customerName',
  name: 'customerName',
  email: 'email',
  phone: 'phone',
  items: 'items',
  total: 'total',
  currency: 'currency',
  carrier: 'carrier',
  trackingnumber: 'trackingNumber',
  tracking: 'trackingNumber',
  trackingurl: 'trackingUrl',
  createdat: 'createdAt',
  created: 'createdAt',
  date: 'createdAt',
};
const REQUIRED_COLUMNS: readonly (keyof DemoOrderInput)[] = [
  'number',
  'status',
  'items',
  'currency',
  'createdAt',
];

const ITEM_PATTERN = /^(.+?)(?:\s*\[([^\]]*)\])?\s+[x×]\s*(\d+)\s*@\s*(\d+(?:\.\d+)?)$/iu;

/** The `items` cell: a JSON array, or `title [sku] x qty @ price; …`. */
function parseItemsCell(cell: string): { items: unknown } | { error: string } {
  const text = cell.trim();
  if (text === '') return { items: [] };
  if (text.startsWith('[')) {
    try {
      return { items: JSON.parse(text) as unknown };
    } catch {
      return { error: 'items: the JSON is not valid' };
    }
  }
  const items: DemoOrderItemInput[] = [];
  for (const part of text.split(';')) {
    const entry = part.trim();
    if (entry === '') continue;
    const match = ITEM_PATTERN.exec(entry);
    if (!match) return { error: `items: cannot read "${entry}" (expected "title x qty @ price")` };
    items.push({
      title: (match[1] as string).trim(),
      sku: match[2]?.trim() || null,
      quantity: Number(match[3]),
      price: Number(match[4]),
    });
  }
  return { items };
}

/** Numeric cells become numbers; anything else is left for the schema to reject by name. */
function numberCell(cell: string): number | string {
  const text = cell.trim();
  return /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text;
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

interface OrderRow {
  id: string;
  provider: string;
  number: string;
  status: string;
  customer_name: string | null;
  email: string | null;
  phone: string | null;
  items: Order['items'] | string;
  total: string | number;
  currency: string;
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  created_at: string | number;
}

function toOrder(row: OrderRow): Order {
  const items =
    typeof row.items === 'string' ? (JSON.parse(row.items) as Order['items']) : row.items;
  return {
    id: row.id,
    provider: row.provider,
    number: row.number,
    status: row.status,
    customerName: row.customer_name,
    email: row.email,
    phone: row.phone,
    items: items.map((item) => ({
      title: item.title,
      quantity: Number(item.quantity),
      sku: item.sku ?? null,
      price: Number(item.price),
      variant: null,
      imageUrl: null,
    })),
    total: Number(row.total),
    currency: row.currency,
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    trackingUrl: row.tracking_url,
    createdAt: Number(row.created_at),
    ...NO_ORDER_DETAILS,
    fulfillments:
      row.carrier || row.tracking_number || row.tracking_url
        ? [
            {
              status: null,
              carrier: row.carrier,
              trackingNumber: row.tracking_number,
              trackingUrl: row.tracking_url,
              shippedAt: null,
            },
          ]
        : [],
  };
}

async function writeOrder(tx: Queryable, order: ValidOrder): Promise<void> {
  await tx.query(
    `insert into orders (id, provider, number, status, customer_name, email, phone, items, total,
       currency, carrier, tracking_number, tracking_url, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14)
     on conflict (provider, number) do update set
       status = excluded.status, customer_name = excluded.customer_name, email = excluded.email,
       phone = excluded.phone, items = excluded.items, total = excluded.total,
       currency = excluded.currency, carrier = excluded.carrier,
       tracking_number = excluded.tracking_number, tracking_url = excluded.tracking_url,
       created_at = excluded.created_at`,
    [
      newId('ord', order.createdAt),
      DEMO_PROVIDER_ID,
      order.number,
      order.status,
      order.customerName,
      order.email,
      order.phone,
      JSON.stringify(order.items),
      order.total,
      order.currency,
      order.carrier,
      order.trackingNumber,
      order.trackingUrl,
      order.createdAt,
    ],
  );
}

const ORDER_COLUMNS = `id, provider, number, status, customer_name, email, phone, items, total,
  currency, carrier, tracking_number, tracking_url, created_at`;

export function createDemoOrderStore(db: Db): DemoOrderStore {
  async function writeAll(orders: readonly ValidOrder[]): Promise<void> {
    if (orders.length === 0) return;
    await db.transaction(async (tx) => {
      for (const order of orders) await writeOrder(tx, order);
    });
  }

  /** Validate candidates (row, value); store the valid ones; report the rest by row. */
  async function importRows(
    candidates: readonly { row: number; value: unknown }[],
    errors: ImportError[],
  ): Promise<ImportReport> {
    const valid: ValidOrder[] = [];
    const seen = new Map<string, number>();
    for (const { row, value } of candidates) {
      const parsed = demoOrderInputSchema.safeParse(value);
      if (!parsed.success) {
        errors.push({ row, message: describeIssues(parsed.error) });
        continue;
      }
      const key = parsed.data.number.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        // Two rows for one order in a file is almost always a mistake; keep the first.
        errors.push({
          row,
          message: `number: order ${parsed.data.number} is also on row ${first}`,
        });
        continue;
      }
      seen.set(key, row);
      valid.push(parsed.data);
    }
    await writeAll(valid);
    errors.sort((a, b) => a.row - b.row);
    return { imported: valid.length, errors };
  }

  return {
    id: DEMO_PROVIDER_ID,

    async findByCustomer(query, limit) {
      const phone = normalisePhone(query.phone);
      const email = normaliseEmail(query.email);
      if (phone === null && email === null) return [];
      // `phone` is stored normalised and `lower(email)` is indexed: both sides use an index.
      const { rows } = await db.query<OrderRow>(
        `select ${ORDER_COLUMNS} from orders
         where provider = $1 and (phone = $2::text or lower(email) = $3::text)
         order by created_at desc, number desc
         limit $4`,
        [DEMO_PROVIDER_ID, phone, email, clampOrderLimit(limit)],
      );
      return rows.map(toOrder);
    },

    async findByNumber(raw) {
      const number = normaliseOrderNumber(raw);
      if (number === null) return [];
      const { rows } = await db.query<OrderRow>(
        `select ${ORDER_COLUMNS} from orders
         where provider = $1 and lower(number) = lower($2)
         order by created_at desc, number desc`,
        [DEMO_PROVIDER_ID, number],
      );
      return rows.map(toOrder);
    },

    async upsert(orders) {
      const valid: ValidOrder[] = [];
      const problems: string[] = [];
      orders.forEach((order, index) => {
        const parsed = demoOrderInputSchema.safeParse(order);
        if (parsed.success) valid.push(parsed.data);
        else problems.push(`order ${index + 1}: ${describeIssues(parsed.error)}`);
      });
      // A programming error, not user input: refuse the whole batch rather than store part of it.
      if (problems.length > 0) {
        throw new Error(`Invalid demo orders: ${problems.slice(0, 5).join(' | ')}`);
      }
      await writeAll(valid);
      return valid.length;
    },

    async importJson(text) {
      if (text.length > MAX_IMPORT_CHARS) {
        return { imported: 0, errors: [{ row: 0, message: 'the file is too large' }] };
      }
      let data: unknown;
      try {
        data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as unknown;
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        return { imported: 0, errors: [{ row: 0, message: `not valid JSON: ${detail}` }] };
      }
      const list = Array.isArray(data)
        ? data
        : data !== null &&
            typeof data === 'object' &&
            Array.isArray((data as { orders?: unknown }).orders)
          ? (data as { orders: unknown[] }).orders
          : null;
      if (list === null) {
        return {
          imported: 0,
          errors: [{ row: 0, message: 'expected an array of orders or { "orders": [...] }' }],
        };
      }
      if (list.length > MAX_IMPORT_ROWS) {
        return {
          imported: 0,
          errors: [{ row: 0, message: `at most ${MAX_IMPORT_ROWS} orders per file` }],
        };
      }
      return importRows(
        list.map((value, index) => ({ row: index + 1, value })),
        [],
      );
    },

    async importCsv(text) {
      if (text.length > MAX_IMPORT_CHARS) {
        return { imported: 0, errors: [{ row: 0, message: 'the file is too large' }] };
      }
      const records = parseCsv(text);
      const header = records[0];
      if (!header) return { imported: 0, errors: [{ row: 1, message: 'the file is empty' }] };
      if (records.length - 1 > MAX_IMPORT_ROWS) {
        return {
          imported: 0,
          errors: [{ row: 0, message: `at most ${MAX_IMPORT_ROWS} orders per file` }],
        };
      }

      // The header decides every row: any problem with it is reported once, and nothing imported.
      const columns: (keyof DemoOrderInput)[] = [];
      const headerProblems: string[] = [];
      if (header.error) headerProblems.push(header.error);
      for (const raw of header.fields) {
        const name = raw.trim();
        const key = CSV_COLUMNS[name.toLowerCase().replace(/[\s_-]+/g, '')];
        if (!key) headerProblems.push(`unknown column "${name}"`);
        else if (columns.includes(key)) headerProblems.push(`column "${name}" appears twice`);
        else columns.push(key);
      }
      const missing = REQUIRED_COLUMNS.filter((key) => !columns.includes(key));
      if (missing.length > 0) headerProblems.push(`missing column(s): ${missing.join(', ')}`);
      if (headerProblems.length > 0) {
        return { imported: 0, errors: [{ row: 1, message: headerProblems.join('; ') }] };
      }

      const errors: ImportError[] = [];
      const candidates: { row: number; value: unknown }[] = [];
      for (const record of records.slice(1)) {
        // A blank line is not an order (spreadsheets often leave some at the end).
        if (
          record.error === null &&
          record.fields.length === 1 &&
          record.fields[0]?.trim() === ''
        ) {
          continue;
        }
        if (record.error) {
          errors.push({ row: record.row, message: record.error });
          continue;
        }
        if (record.fields.length !== columns.length) {
          errors.push({
            row: record.row,
            message: `expected ${columns.length} fields, found ${record.fields.length}`,
          });
          continue;
        }
        const value: Record<string, unknown> = {};
        let problem: string | null = null;
        for (const [index, key] of columns.entries()) {
          const cell = record.fields[index] ?? '';
          if (key === 'items') {
            const items = parseItemsCell(cell);
            if ('error' in items) problem = items.error;
            else value[key] = items.items;
          } else if (key === 'total') {
            if (cell.trim() !== '') value[key] = numberCell(cell);
          } else if (cell.trim() !== '' || REQUIRED_COLUMNS.includes(key)) {
            // Required cells go through even when empty, so the schema names what is missing.
            value[key] = cell;
          }
        }
        if (problem !== null) errors.push({ row: record.row, message: problem });
        else candidates.push({ row: record.row, value });
      }
      return importRows(candidates, errors);
    },
  };
}

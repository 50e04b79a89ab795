import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { orderSchema } from '../../src/shared/domain/model';
import {
  createDemoOrderStore,
  parseCsv,
  type DemoOrderInput,
  type DemoOrderStore,
} from '../../src/server/orders/demo-store';
import {
  normaliseEmail,
  normaliseOrderNumber,
  normalisePhone,
} from '../../src/server/orders/provider';
import { openPglite, type Db } from '../../src/server/store/db';
import { migrate } from '../../src/server/store/migrations';

let db: Db;
let store: DemoOrderStore;

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T10:00:00Z');

function order(overrides: Partial<DemoOrderInput> = {}): DemoOrderInput {
  return {
    number: '1043',
    status: 'shipped',
    customerName: 'Anna de Vries',
    email: 'anna.devries@example.com',
    phone: '+31 6 1234 5678',
    items: [{ title: 'Merino crew-neck sweater', quantity: 1, sku: 'RD-SWT-002', price: 89 }],
    currency: 'EUR',
    carrier: 'PostNL',
    trackingNumber: '3SABCD123456789',
    trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SABCD123456789',
    createdAt: T0,
    ...overrides,
  };
}

// Starting PGlite (PostgreSQL in WASM) takes seconds, more on a busy two-core CI machine.
const PGLITE_START_MS = 60_000;

beforeAll(async () => {
  db = await openPglite(null);
  await migrate(db);
  store = createDemoOrderStore(db);
}, PGLITE_START_MS);

afterAll(async () => {
  await db.close();
});

beforeEach(async () => {
  await db.query('delete from orders');
});

describe('normalisation', () => {
  it('brings common phone spellings to one E.164-like form', () => {
    for (const spelling of [
      '+31 6 1234 5678',
      '+31 (0)6-1234 5678',
      '0031 6 12345678',
      '0031612345678',
      '(+31) 6.1234.5678',
      '31612345678',
      ' +31612345678 ',
    ]) {
      expect(normalisePhone(spelling), spelling).toBe('+31612345678');
    }
    expect(normalisePhone('+1 (212) 555-0123')).toBe('+12125550123');
    expect(normalisePhone('06 1234 5678')).toBe('0612345678');
    expect(normalisePhone('call me maybe')).toBeNull();
    expect(normalisePhone('')).toBeNull();
    expect(normalisePhone(null)).toBeNull();
  });

  it('compares emails case-insensitively and order numbers with or without #', () => {
    expect(normaliseEmail('  Anna.DeVries@Example.COM ')).toBe('anna.devries@example.com');
    expect(normaliseEmail('   ')).toBeNull();
    expect(normaliseOrderNumber('#1043')).toBe('1043');
    expect(normaliseOrderNumber(' # 1043 ')).toBe('1043');
    expect(normaliseOrderNumber('#')).toBeNull();
  });
});

describe('demo order store lookups', () => {
  beforeEach(async () => {
    await store.upsert([
      order({ number: '#1001', createdAt: T0 - 30 * DAY, status: 'delivered' }),
      order({ number: '1043', createdAt: T0, phone: '0031 6 12345678', email: null }),
      order({
        number: '1050',
        createdAt: T0 + DAY,
        status: 'processing',
        phone: null,
        email: 'ANNA.DEVRIES@EXAMPLE.COM',
        carrier: null,
        trackingNumber: null,
        trackingUrl: null,
      }),
      order({
        number: '1051',
        createdAt: T0 + 2 * DAY,
        customerName: 'Lukas Weber',
        email: 'lukas.weber@example.de',
        phone: '+49 151 23456789',
      }),
    ]);
  });

  it('finds a customer by phone in any spelling, newest first', async () => {
    for (const phone of ['+31612345678', '+31 (0)6 1234 5678', '0031-6-1234-5678', '31612345678']) {
      const found = await store.findByCustomer({ phone });
      expect(
        found.map((o) => o.number),
        phone,
      ).toEqual(['1043', '1001']);
    }
  });

  it('finds a customer by email case-insensitively, and by either phone or email', async () => {
    expect(
      (await store.findByCustomer({ email: 'Anna.DeVries@example.com' })).map((o) => o.number),
    ).toEqual(['1050', '1001']);
    expect(
      (
        await store.findByCustomer({ phone: '+31 6 1234 5678', email: 'anna.devries@example.com' })
      ).map((o) => o.number),
    ).toEqual(['1050', '1043', '1001']);
    expect(await store.findByCustomer({ phone: null, email: null })).toEqual([]);
    expect(await store.findByCustomer({ email: 'nobody@example.com' })).toEqual([]);
  });

  it('honours the limit', async () => {
    const found = await store.findByCustomer(
      { email: 'anna.devries@example.com', phone: '+31612345678' },
      1,
    );
    expect(found.map((o) => o.number)).toEqual(['1050']);
  });

  it('finds by number with or without a leading #', async () => {
    for (const number of ['1001', '#1001', ' #1001 ']) {
      const found = await store.findByNumber(number);
      expect(
        found.map((o) => o.number),
        number,
      ).toEqual(['1001']);
    }
    expect(await store.findByNumber('#9999')).toEqual([]);
    expect(await store.findByNumber('#')).toEqual([]);
  });

  it('returns complete orders that satisfy the shared schema', async () => {
    const [found] = await store.findByNumber('1043');
    expect(orderSchema.parse(found)).toEqual(found);
    expect(found).toMatchObject({
      provider: 'demo',
      number: '1043',
      status: 'shipped',
      customerName: 'Anna de Vries',
      phone: '+31612345678',
      items: [{ title: 'Merino crew-neck sweater', quantity: 1, sku: 'RD-SWT-002', price: 89 }],
      total: 89,
      currency: 'EUR',
      carrier: 'PostNL',
      trackingNumber: '3SABCD123456789',
      trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SABCD123456789',
      createdAt: T0,
    });
  });

  it('upserts by number: a second write updates the order instead of adding one', async () => {
    const [before] = await store.findByNumber('1043');
    expect(await store.upsert([order({ number: '#1043', status: 'delivered', total: 95.5 })])).toBe(
      1,
    );
    const after = await store.findByNumber('1043');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before?.id, status: 'delivered', total: 95.5 });
  });

  it('refuses an invalid batch as a whole', async () => {
    await expect(
      store.upsert([order({ number: '2000' }), order({ number: '2001', currency: 'EURO' })]),
    ).rejects.toThrow(/order 2: currency/);
    expect(await store.findByNumber('2000')).toEqual([]);
  });

  it('treats hostile input as data, never as SQL', async () => {
    const found = await store.findByCustomer({ email: "x' or '1'='1" });
    expect(found).toEqual([]);
    expect(await store.findByNumber("1' or '1'='1")).toEqual([]);
  });
});

describe('JSON import', () => {
  it('imports valid orders and reports the bad ones by position', async () => {
    const report = await store.importJson(
      JSON.stringify([
        {
          number: '#2001',
          status: 'Shipped',
          customerName: 'Lena Fischer',
          email: 'Lena.Fischer@example.de',
          phone: '0049 151 1234567',
          items: [{ title: 'Cork yoga mat', quantity: 2, sku: 'RD-YGA-019', price: 64 }],
          currency: 'eur',
          carrier: 'DHL',
          trackingNumber: 'JJD0012345',
          trackingUrl: 'https://www.dhl.com/global-en/home/tracking.html?tracking-id=JJD0012345',
          createdAt: '2026-11-02T09:30:00Z',
        },
        { number: '2002', status: 'shipped', items: [], currency: 'XYZ', createdAt: T0 },
        {
          number: '2003',
          status: 'delivered',
          items: [{ title: 'Mug', quantity: 1, price: 10 }],
          currency: 'EUR',
          trackingUrl: 'javascript:alert(1)',
          createdAt: T0,
        },
        { number: '2004', status: 'teleported', items: [], currency: 'EUR', createdAt: T0 },
        {
          number: '2005',
          status: 'on hold',
          items: [{ title: 'Mug', quantity: 1, price: 10 }],
          currency: 'GBP',
          email: 'not-an-email',
          createdAt: '2026-11-02',
        },
        { number: '2006', status: 'pending', items: [], currency: 'EUR', createdAt: T0, extra: 1 },
        {
          number: '2007',
          status: 'pending',
          items: [
            { title: 'Mug', quantity: 1, price: 3.5 },
            { title: 'Tea', quantity: 3, price: 2 },
          ],
          currency: 'USD',
          createdAt: '2026-11-03 08:00',
        },
        { number: '#2001', status: 'pending', items: [], currency: 'EUR', createdAt: T0 },
      ]),
    );
    expect(report.imported).toBe(2);
    expect(report.errors.map((e) => e.row)).toEqual([2, 3, 4, 5, 6, 8]);
    const message = (row: number) => report.errors.find((e) => e.row === row)?.message ?? '';
    expect(message(2)).toMatch(/currency/);
    expect(message(3)).toMatch(/tracking URL/);
    expect(message(4)).toMatch(/status/);
    expect(message(5)).toMatch(/email/);
    expect(message(6)).toMatch(/extra/);
    expect(message(8)).toMatch(/row 1/);

    const [first] = await store.findByNumber('2001');
    expect(first).toMatchObject({
      status: 'shipped',
      currency: 'EUR',
      phone: '+491511234567',
      total: 128,
      createdAt: Date.parse('2026-11-02T09:30:00Z'),
    });
    // A date-time without an offset is read as UTC, whatever the machine's zone.
    const [seventh] = await store.findByNumber('2007');
    expect(seventh).toMatchObject({ total: 9.5, createdAt: Date.parse('2026-11-03T08:00:00Z') });
    expect(await store.findByNumber('2003')).toEqual([]);
  });

  it('reads dates strictly: offsets honoured, no offset means UTC, impossible days refused', async () => {
    const at = async (createdAt: string | number) => {
      const report = await store.importJson(
        JSON.stringify([{ ...order({ number: 'D1' }), createdAt }]),
      );
      if (report.errors.length > 0) return report.errors[0]?.message ?? '';
      return (await store.findByNumber('D1'))[0]?.createdAt;
    };
    expect(await at('2026-11-02T10:00:00+0100')).toBe(Date.parse('2026-11-02T09:00:00Z'));
    expect(await at('2026-11-02T10:00:00.250+01:00')).toBe(Date.parse('2026-11-02T09:00:00.250Z'));
    expect(await at('2026-11-02 10:00')).toBe(Date.parse('2026-11-02T10:00:00Z'));
    expect(await at('2026-11-02')).toBe(Date.parse('2026-11-02T00:00:00Z'));
    expect(await at('2028-02-29')).toBe(Date.parse('2028-02-29T00:00:00Z'));
    for (const bad of [
      '2026-02-31',
      '2026-13-01',
      '2026-11-02T25:00',
      '02/11/2026',
      'yesterday',
      1_700_000_000,
    ]) {
      expect(await at(bad), String(bad)).toMatch(/created at/);
    }
  });

  it('accepts { orders: [...] } and refuses what is not a list, changing nothing', async () => {
    const wrapped = await store.importJson(JSON.stringify({ orders: [order({ number: '3001' })] }));
    expect(wrapped).toEqual({ imported: 1, errors: [] });
    expect(await store.importJson('{"orders": 5}')).toMatchObject({
      imported: 0,
      errors: [{ row: 0 }],
    });
    expect(await store.importJson('[{"number": ')).toMatchObject({
      imported: 0,
      errors: [{ row: 0, message: expect.stringMatching(/JSON/) as unknown }],
    });
  });
});

describe('CSV import', () => {
  const header =
    'number,status,customer_name,email,phone,items,total,currency,carrier,tracking_number,tracking_url,created_at';

  it('reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes', () => {
    const records = parseCsv('a,b,c\r\n"x, y","say ""hi""","line 1\nline 2"\r\nlast,,\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line 1\nline 2'],
      ['last', '', ''],
    ]);
    expect(records.every((r) => r.error === null)).toBe(true);
    expect(parseCsv('a,"open\n')[0]?.error).toMatch(/never closed/);
    expect(parseCsv('a,"x"y\n')[0]?.error).toMatch(/after a closing quote/);
    expect(parseCsv('a,x"y\n')[0]?.error).toMatch(/quote inside/);
  });

  it('imports valid rows, reports bad rows by spreadsheet row, imports none of them', async () => {
    const csv = [
      header,
      // Row 2: quoted fields with commas, quotes and a line break; items in the short format.
      '#4001,shipped,"de Vries, Anna",anna@example.com,+31 6 1234 5678,"Mug ""Sunrise"" [RD-MUG-010] x 2 @ 34.50; Linen duvet cover, double x 1 @ 119",,EUR,PostNL,3SABCD1,https://jouw.postnl.nl/track-and-trace/3SABCD1,2026-11-02T10:00:00Z',
      // Row 3: bad currency.
      '4002,shipped,Bob,,,Tea x 1 @ 2,,EU,,,,2026-11-02',
      // Row 4: a note with a line break inside quotes, items as JSON.
      '4003,delivered,"Lukas\nWeber",LUKAS@EXAMPLE.DE,,"[{""title"":""Cork yoga mat"",""quantity"":1,""sku"":""RD-YGA-019"",""price"":64}]",70.95,eur,DHL,JJD1,https://www.dhl.com/t?id=JJD1,1793613600000',
      // Row 5: items that cannot be read.
      '4004,shipped,Eve,,,three mugs please,,EUR,,,,2026-11-02',
      // Row 6: wrong number of fields.
      '4005,shipped,Eve',
      // Row 7: ftp tracking URL.
      '4006,shipped,Eve,,,Tea x 1 @ 2,,EUR,UPS,1Z,ftp://ups.example/1Z,2026-11-02',
      '',
      // Row 9: total that is not a number, after a blank line (which still counts as a row).
      '4007,shipped,Eve,,,Tea x 1 @ 2,lots,EUR,,,,2026-11-02',
    ].join('\r\n');
    const report = await store.importCsv(csv);
    expect(report.errors.map((e) => e.row)).toEqual([3, 5, 6, 7, 9]);
    expect(report.imported).toBe(2);
    const message = (row: number) => report.errors.find((e) => e.row === row)?.message ?? '';
    expect(message(3)).toMatch(/currency/);
    expect(message(5)).toMatch(/three mugs please/);
    expect(message(6)).toMatch(/expected 12 fields, found 3/);
    expect(message(7)).toMatch(/tracking URL/);
    expect(message(9)).toMatch(/total/);

    const [first] = await store.findByNumber('4001');
    expect(first).toMatchObject({
      customerName: 'de Vries, Anna',
      phone: '+31612345678',
      items: [
        { title: 'Mug "Sunrise"', sku: 'RD-MUG-010', quantity: 2, price: 34.5 },
        { title: 'Linen duvet cover, double', sku: null, quantity: 1, price: 119 },
      ],
      total: 188,
    });
    const [third] = await store.findByNumber('#4003');
    expect(third).toMatchObject({
      customerName: 'Lukas\nWeber',
      email: 'LUKAS@EXAMPLE.DE',
      total: 70.95,
      currency: 'EUR',
      createdAt: 1793613600000,
    });
    expect(
      (await store.findByCustomer({ email: 'lukas@example.de' })).map((o) => o.number),
    ).toEqual(['4003']);
    for (const number of ['4002', '4004', '4005', '4006', '4007']) {
      expect(await store.findByNumber(number)).toEqual([]);
    }
  });

  it('accepts columns in any order and spelling, with a byte-order mark', async () => {
    const csv =
      '\uFEFFCreated At,Order Number,Currency,Items,Status\n2026-11-05,5001,EUR,Tea x 3 @ 2.5,Processing\n';
    expect(await store.importCsv(csv)).toEqual({ imported: 1, errors: [] });
    expect((await store.findByNumber('5001'))[0]).toMatchObject({
      total: 7.5,
      status: 'processing',
    });
  });

  it('reports header problems once, on row 1, and imports nothing', async () => {
    const report = await store.importCsv('number,status,colour\n6001,shipped,red\n');
    expect(report.imported).toBe(0);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.row).toBe(1);
    expect(report.errors[0]?.message).toMatch(/unknown column "colour"/);
    expect(report.errors[0]?.message).toMatch(/missing column/);
    expect(await store.importCsv('')).toMatchObject({ imported: 0, errors: [{ row: 1 }] });
  });
});

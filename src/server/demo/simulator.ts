import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/domain/channels';
import type { MessageContent } from '../../shared/domain/model';
import type { EntryPoint } from '../../shared/reply-window/types';
import type { InboundCustomer, InboundMessage } from '../channels/types';
import type { DemoOrderInput, DemoOrderStatus } from '../orders/demo-store';
import {
  CARRIERS,
  DEMO_CATALOG,
  DEMO_CATALOG_ID,
  type CatalogProduct,
  type DemoCurrency,
} from './catalog';
import {
  COUNTRIES_BY_LANGUAGE,
  DEMO_COUNTRIES,
  DEMO_EMAIL_DOMAINS,
  DEMO_LANGUAGES,
  PHRASEBOOKS,
  TEAM_PHRASES,
  type DemoCountry,
  type DocumentKind,
  type ImageSubject,
  type DemoLanguage,
  type Phrasebook,
} from './people';

/**
 * The demo simulator: a believable shop inbox, generated from a seed. Everything is a pure
 * function of (seed, time passed in): no Math.random, no clock, so a demo (and a test) can be
 * replayed exactly. The world is planned in ages (ms before `now`) and only then placed in time,
 * so the same seed gives the same people, order numbers and message ids whatever `now` is.
 */

export const DEMO_CHANNELS = [
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
  'wechat',
  'line',
  'viber',
  'sms',
] as const;
export type DemoChannel = (typeof DEMO_CHANNELS)[number];

/** The business account every demo channel "receives" on; `demo-` routes replies to the demo sender. */
export function demoAccountId(channel: DemoChannel): string {
  return `demo-${channel}`;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for demo data, and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Several numbers (seed, purpose, index, a timestamp) hashed into one 32-bit seed, so that each
 * person and each stream draws from its own sequence: adding a customer does not reshuffle the
 * others.
 */
export function hashSeed(...values: number[]): number {
  let hash = 0x811c9dc5;
  for (const value of values) {
    const safe = Number.isFinite(value) ? Math.trunc(value) : 0;
    for (const part of [safe >>> 0, Math.floor(safe / 4_294_967_296) >>> 0]) {
      hash = Math.imul(hash ^ part, 0x01000193);
      hash ^= hash >>> 15;
      hash = Math.imul(hash, 0x2c1b3c6d);
      hash ^= hash >>> 12;
    }
  }
  return hash >>> 0;
}

export interface Rng {
  /** [0, 1) */
  float(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const rng: Rng = {
    float: next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (items) => {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return (items[items.length - 1] as (typeof items)[number])[0];
    },
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
  };
  return rng;
}

// Purposes, mixed into hashSeed so streams never share a sequence.
const PERSON_STREAM = 0x9e11;
const WORLD_STREAM = 0x3a7d;

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

export interface DemoPerson {
  readonly index: number;
  readonly language: DemoLanguage;
  readonly country: DemoCountry;
  readonly firstName: string;
  readonly lastName: string;
  /** The profile name the channels show (some people show only a first name). */
  readonly displayName: string;
  /** E.164, e.g. `+31612345678`. */
  readonly phone: string;
  /** As the person writes it, e.g. `+31 6 1234 5678`. */
  readonly phoneDisplay: string;
  readonly email: string;
  /** An airline/hotel-style booking reference (`K7XQ2M`). */
  readonly booking: string;
  /** Whether the person shared their phone number with the Telegram bot. */
  readonly telegramSharesPhone: boolean;
  readonly channelIds: Readonly<Record<DemoChannel, string>>;
}

function fillPattern(pattern: string, rng: Rng): string {
  let out = '';
  for (const char of pattern) {
    if (char === '#') out += String(rng.int(0, 9));
    else if (char === 'N') out += String(rng.int(2, 9));
    else if (char === 'A') out += String.fromCharCode(65 + rng.int(0, 25));
    else out += char;
  }
  return out;
}

function asciiFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const PNR_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const OPENID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const HEX_ALPHABET = '0123456789abcdef';

function randomFrom(alphabet: string, length: number, rng: Rng): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

/** Draws until `used` does not hold the value yet: phones, emails and channel ids stay unique. */
function unique(used: Set<string>, draw: (attempt: number) => string): string {
  for (let attempt = 0; ; attempt += 1) {
    const value = draw(attempt);
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
}

function makePerson(seed: number, index: number, used: Set<string>): DemoPerson {
  const rng = createRng(hashSeed(seed, PERSON_STREAM, index));
  // Languages rotate, so every language is well represented in any slice of people.
  const language = DEMO_LANGUAGES[index % DEMO_LANGUAGES.length] as DemoLanguage;
  const country =
    DEMO_COUNTRIES[rng.weighted(COUNTRIES_BY_LANGUAGE[language].map((c) => [c.code, c.weight]))];
  const firstName = rng.pick(rng.chance(0.5) ? country.femaleNames : country.maleNames);
  const lastName = rng.pick(country.lastNames);

  let phoneDisplay = '';
  const phone = unique(used, () => {
    phoneDisplay = `${country.callingCode} ${fillPattern(rng.pick(country.mobilePatterns), rng)}`;
    return phoneDisplay.replace(/\s/g, '');
  });

  const first = asciiFold(firstName);
  const last = asciiFold(lastName);
  const local = rng.pick([
    `${first}.${last}`,
    `${first}${last}`,
    `${first.slice(0, 1)}.${last}`,
    `${first}.${last}${rng.int(70, 99)}`,
    `${last}.${first}`,
  ]);
  const domain = rng.pick(DEMO_EMAIL_DOMAINS);
  const email = unique(used, (attempt) =>
    attempt === 0 ? `${local}@${domain}` : `${local}${attempt + 1}@${domain}`,
  );

  const channelIds: Record<DemoChannel, string> = {
    // WhatsApp's wa_id is the phone number without the `+`.
    whatsapp: phone.slice(1),
    messenger: unique(used, () => `${rng.int(1, 9)}${fillPattern('###############', rng)}`),
    instagram: unique(used, () => `1${rng.int(7, 8)}${fillPattern('###############', rng)}`),
    telegram: unique(used, () => `${rng.int(1, 7)}${fillPattern('#########', rng)}`),
    wechat: unique(used, () => `o${randomFrom(OPENID_ALPHABET, 27, rng)}`),
    // LINE user ids: `U` and 32 hex digits; Viber ids: 22 base64 characters and `==`.
    line: unique(used, () => `U${randomFrom(HEX_ALPHABET, 32, rng)}`),
    viber: unique(used, () => `${randomFrom(OPENID_ALPHABET, 22, rng)}==`),
    // SMS knows a customer by their number (E.164).
    sms: phone,
  };

  return {
    index,
    language,
    country,
    firstName,
    lastName,
    displayName: rng.chance(0.15) ? firstName : `${firstName} ${lastName}`,
    phone,
    phoneDisplay,
    email,
    booking: randomFrom(PNR_ALPHABET, 6, rng),
    telegramSharesPhone: rng.chance(0.5),
    channelIds,
  };
}

/**
 * The customer as a channel would report them: WhatsApp knows the phone, the others a channel id
 * (Telegram the phone too when shared). The email stands in for what a CRM link would add, so
 * orders can be found for customers on every channel.
 */
export function customerOn(person: DemoPerson, channel: DemoChannel): InboundCustomer {
  return {
    externalId: person.channelIds[channel],
    name: person.displayName,
    phone:
      channel === 'whatsapp' ||
      channel === 'sms' ||
      (channel === 'telegram' && person.telegramSharesPhone)
        ? person.phone
        : null,
    email: channel === 'whatsapp' ? null : person.email,
    country: person.country.code,
    language: person.language,
  };
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

/**
 * An order. Messages hold it by reference and read `number` only when rendered: numbers are
 * given in the order orders are placed once a stretch of time is planned. Its life is dated
 * (placed, shipped, delivered, perhaps returned), so what it is at any instant is known: a
 * customer asks "where is my order?" only while it is on its way, and about a return once it
 * arrived (issue 12, item 12).
 */
interface OrderDraft {
  readonly person: DemoPerson;
  readonly items: readonly { readonly product: CatalogProduct; readonly quantity: number }[];
  /** How the shop wrote the phone and email (various spellings, to exercise normalisation). */
  readonly phone: string;
  readonly email: string;
  readonly placedAt: number;
  readonly shippedAt: number;
  readonly deliveredAt: number;
  /** null: kept. */
  readonly returnedAt: number | null;
  readonly carrier: keyof typeof CARRIERS;
  readonly trackingNumber: string;
  number: string;
}

const currencyOf = (person: DemoPerson): DemoCurrency => person.country.currency;

function orderTotal(order: Pick<OrderDraft, 'items' | 'person'>): number {
  const cents = order.items.reduce(
    (sum, item) =>
      sum + Math.round(item.product.prices[currencyOf(order.person)] * 100) * item.quantity,
    0,
  );
  return cents / 100;
}

/** What the order is at `at`, as the shop's system would say. */
export function orderStatusAt(
  order: Pick<OrderDraft, 'shippedAt' | 'deliveredAt' | 'returnedAt'>,
  at: number,
): DemoOrderStatus {
  if (order.returnedAt !== null && at >= order.returnedAt) return 'returned';
  if (at >= order.deliveredAt) return 'delivered';
  if (at >= order.shippedAt) return 'shipped';
  return 'processing';
}

function shopPhoneSpelling(person: DemoPerson, rng: Rng): string {
  const national = person.phoneDisplay.slice(person.country.callingCode.length + 1);
  const spellings = [
    person.phoneDisplay,
    person.phone,
    `00${person.phone.slice(1)}`,
    person.phoneDisplay.replace(/ /g, '-'),
  ];
  // "+44 (0)7…": the trunk prefix in brackets, common on European forms (not in North America).
  if (person.country.code !== 'US') spellings.push(`${person.country.callingCode} (0)${national}`);
  return rng.pick(spellings);
}

function shopEmailSpelling(person: DemoPerson, rng: Rng): string {
  if (!rng.chance(0.25)) return person.email;
  const [local = '', domain = ''] = person.email.split('@');
  const capitalised = local.replace(
    /(^|[._])([a-z])/g,
    (_m, sep: string, c: string) => sep + c.toUpperCase(),
  );
  return `${capitalised}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}`;
}

/** An order placed at `placedAt`: shipped within 1–2 days, delivered 1–4 days later. */
function planOrder(person: DemoPerson, placedAt: number, rng: Rng): OrderDraft {
  const shippedAt = placedAt + rng.int(18 * HOUR_MS, 44 * HOUR_MS);
  const deliveredAt = shippedAt + rng.int(DAY_MS, 4 * DAY_MS);
  const carrier = rng.pick(person.country.carriers);
  return {
    person,
    items: rng
      .shuffle(DEMO_CATALOG)
      .slice(
        0,
        rng.weighted([
          [1, 6],
          [2, 3],
          [3, 1],
        ] as const),
      )
      .map((product) => ({ product, quantity: rng.chance(0.8) ? 1 : rng.int(2, 3) })),
    phone: shopPhoneSpelling(person, rng),
    email: shopEmailSpelling(person, rng),
    placedAt,
    shippedAt,
    deliveredAt,
    // People send back some of what they bought, a week or two after it came.
    returnedAt: rng.chance(0.12) ? deliveredAt + rng.int(5 * DAY_MS, 12 * DAY_MS) : null,
    carrier,
    trackingNumber: fillPattern(CARRIERS[carrier].trackingPattern, rng),
    number: '',
  };
}

/** The order as the shop's system holds it at `at`. */
function renderOrder(order: OrderDraft, at: number): DemoOrderInput {
  const currency = currencyOf(order.person);
  const status = orderStatusAt(order, at);
  const shipped = status !== 'processing';
  return {
    number: order.number,
    status,
    customerName: `${order.person.firstName} ${order.person.lastName}`,
    email: order.email,
    phone: order.phone,
    items: order.items.map((item) => ({
      title: item.product.title,
      quantity: item.quantity,
      sku: item.product.retailerId,
      price: item.product.prices[currency],
    })),
    total: orderTotal(order),
    currency,
    carrier: shipped ? order.carrier : null,
    trackingNumber: shipped ? order.trackingNumber : null,
    trackingUrl: shipped ? CARRIERS[order.carrier].trackingUrl(order.trackingNumber) : null,
    createdAt: order.placedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// What people say
// ---------------------------------------------------------------------------------------------

type Topic = 'orderStatus' | 'delivery' | 'returns' | 'payment' | 'booking' | 'presale';
const ORDER_TOPICS: readonly Topic[] = ['orderStatus', 'delivery', 'returns', 'payment'];

type MediaKind = 'image' | 'document' | 'location' | 'voice';
/** What each channel can carry from a customer (Instagram has no files, Messenger no places). */
const MEDIA_BY_CHANNEL: Readonly<Record<DemoChannel, readonly MediaKind[]>> = {
  whatsapp: ['image', 'document', 'location', 'voice'],
  messenger: ['image', 'document', 'voice'],
  instagram: ['image', 'voice'],
  telegram: ['image', 'document', 'location', 'voice'],
  wechat: ['image', 'location', 'voice'],
  line: ['image', 'location', 'voice'],
  viber: ['image', 'document', 'location'],
  // Text only: the hub reads no MMS yet.
  sms: [],
};
const VOICE_MIME: Readonly<Record<DemoChannel, string>> = {
  whatsapp: 'audio/ogg; codecs=opus',
  messenger: 'audio/mp4',
  instagram: 'audio/mp4',
  telegram: 'audio/ogg',
  wechat: 'audio/amr',
  line: 'audio/mp4',
  viber: 'audio/mp4',
  sms: 'audio/amr',
};

/** One attachment a customer might send, and what it shows. */
type MediaPlan =
  | { readonly kind: 'image'; readonly subject: ImageSubject }
  | { readonly kind: 'document'; readonly document: DocumentKind }
  | { readonly kind: 'location' }
  | { readonly kind: 'voice' };

const DOCUMENT_FILENAMES: Readonly<Record<DocumentKind, string>> = {
  receipt: 'receipt-{number}.pdf',
  bankStatement: 'bank-statement.pdf',
  returnForm: 'return-form-{number}.pdf',
  booking: 'booking-{booking}.pdf',
};

/** Attachments that make sense for each topic: a crushed box for a delivery, not for a booking. */
const MEDIA_BY_TOPIC: Readonly<Record<Topic, readonly MediaPlan[]>> = {
  orderStatus: [{ kind: 'image', subject: 'tracking' }, { kind: 'voice' }],
  delivery: [
    { kind: 'image', subject: 'damaged' },
    { kind: 'image', subject: 'tracking' },
    { kind: 'location' },
    { kind: 'voice' },
  ],
  returns: [
    { kind: 'image', subject: 'damaged' },
    { kind: 'image', subject: 'wrongItem' },
    { kind: 'document', document: 'returnForm' },
  ],
  payment: [
    { kind: 'document', document: 'receipt' },
    { kind: 'document', document: 'bankStatement' },
    { kind: 'image', subject: 'payment' },
  ],
  booking: [{ kind: 'document', document: 'booking' }, { kind: 'location' }, { kind: 'voice' }],
  presale: [{ kind: 'image', subject: 'product' }, { kind: 'voice' }],
};

/** A message waiting for its text: order numbers are only known once all orders are planned. */
type Content = () => MessageContent;

interface Said {
  readonly order: OrderDraft | null;
  readonly product: CatalogProduct;
  /** What the order is when the customer writes (null without an order). */
  readonly status: DemoOrderStatus | null;
}

type OrderState = 'processing' | 'shipped' | 'delivered' | 'returned';

/**
 * Which phrasings fit an order in each state, by their place in every phrasebook's list (the
 * lists are parallel: the same place says the same in every language). "Where is my order?" is
 * for an order on its way; a delivered one gets a return, a damaged item or a "says delivered
 * but nothing came"; a returned one the refund.
 */
const FITS_STATE: Partial<Record<PhraseKind, Readonly<Record<OrderState, readonly number[]>>>> = {
  orderStatus: { processing: [0, 1, 2, 3, 4], shipped: [0, 3, 4], delivered: [], returned: [] },
  delivery: { processing: [2, 3], shipped: [0, 2, 3, 4], delivered: [1], returned: [] },
  returns: { processing: [], shipped: [], delivered: [0, 1, 3, 4], returned: [2] },
  payment: { processing: [0, 1, 2], shipped: [0, 2], delivered: [0, 2], returned: [2, 4] },
};

const stateOf = (status: DemoOrderStatus | null): OrderState | null =>
  status === 'processing' || status === 'shipped' || status === 'delivered' || status === 'returned'
    ? status
    : null;

/** The order topics a customer may raise about an order in `status`. */
function topicsFor(status: DemoOrderStatus): Topic[] {
  const state = stateOf(status);
  return ORDER_TOPICS.filter(
    (topic) => state !== null && (FITS_STATE[topic]?.[state] ?? []).length > 0,
  );
}

/** The places in a phrase list that fit what the customer has (all when not about an order). */
function fittingPlaces(kind: PhraseKind, said: Said): readonly number[] | null {
  const state = stateOf(said.status);
  const table = FITS_STATE[kind];
  return state === null || table === undefined ? null : table[state];
}

/** Whether a phrase's placeholders make sense here (no {order} without an order, …). */
function fits(template: string, said: Said): boolean {
  if (template.includes('{order}') || template.includes('{amount}')) {
    if (said.order === null) return false;
  }
  return !template.includes('{garment}') || said.product.sized;
}

function phrase(
  list: readonly string[],
  rng: Rng,
  said: Said,
  places: readonly number[] | null = null,
): string {
  const usable = list.filter(
    (text, place) => fits(text, said) && (places === null || places.includes(place)),
  );
  return rng.pick(usable.length > 0 ? usable : list);
}

function fill(template: string, person: DemoPerson, said: Said, rng: Rng): () => string {
  const book = PHRASEBOOKS[person.language];
  const day = rng.pick(book.weekdays);
  const city = rng.pick(book.destinations);
  return () =>
    template.replace(/\{(\w+)\}/g, (match, key: string) => {
      switch (key) {
        case 'order':
          return said.order ? `#${said.order.number}` : match;
        case 'number':
          return said.order?.number ?? '';
        case 'product':
        case 'garment':
          return said.product.title;
        case 'booking':
          return person.booking;
        case 'day':
          return day;
        case 'city':
          return city;
        case 'amount':
          return said.order
            ? new Intl.NumberFormat(person.country.locale, {
                style: 'currency',
                currency: currencyOf(person),
              }).format(orderTotal(said.order))
            : match;
        default:
          return match;
      }
    });
}

/** The kinds of phrase a phrasebook has lists of. */
type PhraseKind = {
  [K in keyof Phrasebook]: Phrasebook[K] extends readonly string[] ? K : never;
}[keyof Phrasebook];

/** A text message: one of the person's phrasings of `kind`, placeholders filled. */
function textOf(kind: PhraseKind, person: DemoPerson, said: Said, rng: Rng): Content {
  const list = PHRASEBOOKS[person.language][kind];
  const text = fill(phrase(list, rng, said, fittingPlaces(kind, said)), person, said, rng);
  return () => ({ type: 'text', body: text() });
}

function questionOf(topic: Topic, person: DemoPerson, said: Said, rng: Rng): Content {
  return textOf(topic, person, said, rng);
}

function mediaOf(
  plan: MediaPlan,
  channel: DemoChannel,
  person: DemoPerson,
  said: Said,
  mediaId: string,
  rng: Rng,
): Content {
  const book = PHRASEBOOKS[person.language];
  switch (plan.kind) {
    case 'image': {
      const caption = fill(phrase(book.imageCaptions[plan.subject], rng, said), person, said, rng);
      // The demo's photos are PNGs (demo-files.ts); the subject names which one.
      return () => ({
        type: 'image',
        media: { mediaId: `${mediaId}.${plan.subject}`, mimeType: 'image/png', caption: caption() },
      });
    }
    case 'document': {
      const caption = fill(book.documents[plan.document], person, said, rng);
      const filename = fill(DOCUMENT_FILENAMES[plan.document], person, said, rng);
      return () => ({
        type: 'document',
        media: {
          mediaId: `${mediaId}.${plan.document}`,
          mimeType: 'application/pdf',
          filename: filename().replace(/-\.pdf$/, '.pdf'),
          caption: caption(),
        },
      });
    }
    case 'location': {
      const place = rng.pick(person.country.places);
      // A few metres off the landmark, as a phone's GPS would report it.
      const latitude = Math.round((place.latitude + (rng.float() - 0.5) * 0.002) * 1e6) / 1e6;
      const longitude = Math.round((place.longitude + (rng.float() - 0.5) * 0.002) * 1e6) / 1e6;
      return () => ({
        type: 'location',
        latitude,
        longitude,
        name: place.name,
        address: place.address,
      });
    }
    case 'voice':
      return () => ({
        type: 'audio',
        media: { mediaId, mimeType: VOICE_MIME[channel], voice: true },
      });
  }
}

/** An attachment that fits the topic, the channel and what the customer has (an order?). */
function mediaFor(topic: Topic, channel: DemoChannel, said: Said, rng: Rng): MediaPlan | null {
  const possible = MEDIA_BY_TOPIC[topic].filter((plan) => {
    if (!MEDIA_BY_CHANNEL[channel].includes(plan.kind)) return false;
    // Receipts, statements, payment screenshots and return forms belong to an order.
    const needsOrder =
      plan.kind === 'document'
        ? plan.document !== 'booking'
        : plan.kind === 'image' && plan.subject !== 'product';
    if (needsOrder && said.order === null) return false;
    // A photo of the parcel or the item only once it came; a tracking page once it shipped.
    const state = stateOf(said.status);
    if (plan.kind === 'image' && (plan.subject === 'damaged' || plan.subject === 'wrongItem'))
      return state === 'delivered';
    if (plan.kind === 'image' && plan.subject === 'tracking')
      return state === 'shipped' || state === 'delivered';
    if (plan.kind === 'document' && plan.document === 'returnForm')
      return state === 'delivered' || state === 'returned';
    return true;
  });
  return possible.length > 0 ? rng.pick(possible) : null;
}

function catalogOrderOf(
  person: DemoPerson,
  order: OrderDraft,
  note: (() => string) | null,
): Content {
  const currency = currencyOf(person);
  return () => ({
    type: 'order',
    catalogId: DEMO_CATALOG_ID,
    items: order.items.map((item) => ({
      productRetailerId: item.product.retailerId,
      quantity: item.quantity,
      itemPrice: item.product.prices[currency],
      currency,
    })),
    ...(note ? { note: note() } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// The shop's traffic: episodes of customers writing and teammates answering, over time
// ---------------------------------------------------------------------------------------------

/**
 * The simulated teammates: they pick up waiting conversations, answer and resolve them, so the
 * inbox keeps a steady mix (some waiting, most answered, windows in every state) instead of
 * filling with fresh, unanswered conversations (issue 12, item 12).
 */
export interface DemoTeammate {
  readonly email: string;
  readonly name: string;
}

export const DEMO_TEAMMATES: readonly DemoTeammate[] = [
  { email: 'sofia.marques@team.demo.invalid', name: 'Sofia Marques' },
  { email: 'jonas.becker@team.demo.invalid', name: 'Jonas Becker' },
  { email: 'amara.okafor@team.demo.invalid', name: 'Amara Okafor' },
];

/** A conversation by the channel's keys of it (the hub finds its id). */
export interface ConversationRef {
  readonly channel: DemoChannel;
  readonly channelAccountId: string;
  readonly customerExternalId: string;
}

export const refKey = (ref: ConversationRef): string =>
  `${ref.channel}\u0000${ref.channelAccountId}\u0000${ref.customerExternalId}`;

/** The order a customer message is about, and what it was when they wrote. */
export interface OrderMention {
  readonly number: string;
  readonly status: DemoOrderStatus;
}

/** One thing that happens in the demo shop, at `at`. */
export type DemoStep =
  | {
      readonly kind: 'customer';
      readonly at: number;
      readonly event: InboundMessage;
      readonly about: OrderMention | null;
      /** Orders to store before this message arrives (the live stream's new orders). */
      readonly orders: readonly DemoOrderInput[];
    }
  | {
      readonly kind: 'reply';
      readonly at: number;
      readonly conversation: ConversationRef;
      /** Index into DEMO_TEAMMATES. */
      readonly teammate: number;
      /** Stable id of the reply (the hub's client id / external id). */
      readonly id: string;
      readonly body: string;
    }
  | {
      readonly kind: 'resolve';
      readonly at: number;
      readonly conversation: ConversationRef;
      readonly teammate: number;
    };

export const DEFAULT_EPISODES_PER_HOUR = 6;
export const DEFAULT_HISTORY_DAYS = 30;

/**
 * Busier in the (European) day than at night, never silent: customers write from several time
 * zones. 0.55 at night to 1.45 at 14:00 UTC; about 0.93 on average.
 */
function dayShape(at: number): number {
  const hour = (at % DAY_MS) / HOUR_MS;
  return 0.55 + 0.9 * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 16));
}

/** The reply window's length, for the teammates (who answer only while it is open). */
function windowLengthMs(channel: DemoChannel): number {
  // Telegram has no window; LINE pushes after its reply token (counted against the quota).
  if (channel === 'telegram' || channel === 'line' || channel === 'sms')
    return Number.POSITIVE_INFINITY;
  return channel === 'wechat' ? 48 * HOUR_MS : 24 * HOUR_MS;
}

/** How long a conversation waits for a teammate: mostly minutes, some hours, a few all day. */
function pickupDelay(rng: Rng): number | null {
  return rng.weighted<() => number | null>([
    [() => rng.int(2 * MINUTE_MS, 25 * MINUTE_MS), 52],
    [() => rng.int(25 * MINUTE_MS, 3 * HOUR_MS), 30],
    [() => rng.int(3 * HOUR_MS, 12 * HOUR_MS), 14],
    // Nobody gets to it before the window closes (the dashboard's "closed unanswered").
    [() => null, 4],
  ])();
}

interface Generator {
  readonly seed: number;
  readonly rng: Rng;
  readonly stamp: string;
  readonly used: Set<string>;
  readonly persons: DemoPerson[];
  readonly channelOf: Map<DemoPerson, DemoChannel>;
  /** When each person's last episode ended (they come back only after a pause). */
  readonly idleFrom: Map<DemoPerson, number>;
  readonly orders: OrderDraft[];
  readonly perHour: number;
  /** Where the plan starts, and from when on it runs at the full rate (FULL_HISTORY_MS). */
  readonly origin: number;
  readonly fullFrom: number;
  /** People whose last question nobody answered: they do not come back in the demo. */
  readonly unanswered: Set<DemoPerson>;
  nextPerson: number;
  nextOrder: number;
  messages: number;
  media: number;
  replies: number;
  /** Steps planned and not yet handed out, by time. */
  queue: DemoStep[];
  nextArrival: number;
}

function createGenerator(
  seed: number,
  start: number,
  perHour: number,
  firstOrderNumber: number,
  fullFrom = start,
): Generator {
  const rng = createRng(hashSeed(seed, WORLD_STREAM, start));
  const generator: Generator = {
    seed,
    rng,
    stamp: Math.floor(start).toString(36),
    used: new Set(),
    persons: [],
    channelOf: new Map(),
    idleFrom: new Map(),
    orders: [],
    perHour,
    origin: start,
    fullFrom,
    unanswered: new Set(),
    nextPerson: 0,
    nextOrder: firstOrderNumber,
    messages: 0,
    media: 0,
    replies: 0,
    queue: [],
    nextArrival: start,
  };
  generator.nextArrival = arrivalAfter(generator, start);
  return generator;
}

/**
 * The history before the last `FULL_HISTORY_MS` grows from a sixth of the rate at its start to
 * half of it (a shop growing over the month): every day of the dashboard's 30 has its traffic,
 * while the first start stores a few thousand messages, not ten thousand (the demo seeds on a
 * hub's first `npm start`). The last days, whose windows are still open, run at the full rate:
 * the 30-day chart shows them about twice as busy as the week before.
 */
const FULL_HISTORY_MS = 3 * DAY_MS;
const THIN_HISTORY = { from: 0.17, to: 0.55 } as const;

function historyShape(g: Generator, at: number): number {
  if (at >= g.fullFrom || g.fullFrom <= g.origin) return 1;
  const progress = Math.max(0, (at - g.origin) / (g.fullFrom - g.origin));
  return THIN_HISTORY.from + (THIN_HISTORY.to - THIN_HISTORY.from) * progress;
}

/** The next arrival after `at`: a Poisson process whose rate follows the day (thinning). */
function arrivalAfter(g: Generator, at: number): number {
  const peak = (g.perHour * 1.45) / HOUR_MS;
  let t = at;
  for (;;) {
    t += Math.max(1_000, Math.round(-Math.log(1 - g.rng.float()) / peak));
    if (g.rng.float() * 1.45 < dayShape(t) * historyShape(g, t)) return t;
  }
}

function enqueue(g: Generator, step: DemoStep): void {
  // Insert in time order (the queue holds a few days of plans: hundreds of steps).
  let i = g.queue.length;
  while (i > 0 && (g.queue[i - 1] as DemoStep).at > step.at) i -= 1;
  g.queue.splice(i, 0, step);
}

function newOrder(g: Generator, person: DemoPerson, placedAt: number): OrderDraft {
  const order = planOrder(person, placedAt, g.rng);
  order.number = String(g.nextOrder);
  g.nextOrder += 1;
  g.orders.push(order);
  return order;
}

function choosePerson(g: Generator, start: number): { person: DemoPerson; channel: DemoChannel } {
  // Some customers come back (a new question days after the last one), most are new.
  if (g.persons.length > 20 && g.rng.chance(0.35)) {
    for (let tries = 0; tries < 6; tries += 1) {
      const person = g.rng.pick(g.persons);
      if (g.unanswered.has(person)) continue;
      if ((g.idleFrom.get(person) ?? 0) <= start - 2 * DAY_MS) {
        return { person, channel: g.channelOf.get(person) as DemoChannel };
      }
    }
  }
  return newPerson(g, g.rng.weighted(CHANNEL_WEIGHTS));
}

function newPerson(
  g: Generator,
  channel: DemoChannel,
): { person: DemoPerson; channel: DemoChannel } {
  const person = makePerson(g.seed, g.nextPerson, g.used);
  g.nextPerson += 1;
  g.persons.push(person);
  g.channelOf.set(person, channel);
  return { person, channel };
}

const CHANNEL_WEIGHTS: readonly (readonly [DemoChannel, number])[] = [
  ['whatsapp', 40],
  ['messenger', 20],
  ['instagram', 15],
  ['telegram', 12],
  ['wechat', 13],
  ['line', 7],
  ['viber', 6],
  ['sms', 3],
];

type Flavour = 'plain' | 'ad_referral' | 'catalog' | 'payment';

/**
 * Plan one episode starting at `start`: the customer's messages, then (mostly) a teammate's
 * answer after a while, perhaps the customer's thanks or a second question, and a resolution.
 * Every step is queued at its own instant.
 */
function planEpisode(g: Generator, start: number, pinned?: { channel: DemoChannel }): void {
  const { rng } = g;
  const { person, channel } = pinned ? newPerson(g, pinned.channel) : choosePerson(g, start);
  const ref: ConversationRef = {
    channel,
    channelAccountId: demoAccountId(channel),
    customerExternalId: person.channelIds[channel],
  };
  const book = PHRASEBOOKS[person.language];
  const flavour: Flavour =
    channel === 'whatsapp'
      ? rng.weighted<Flavour>([
          ['plain', 82],
          ['ad_referral', 10],
          ['catalog', 8],
        ])
      : channel === 'wechat' && rng.chance(0.15)
        ? 'payment'
        : 'plain';
  const newOrders: OrderDraft[] = [];
  let t = start;
  let first = true;
  let lastCustomerAt = start;
  const customer = (
    content: Content,
    said: Said,
    extras: { entryPoint?: EntryPoint; payment?: boolean } = {},
  ): void => {
    g.messages += 1;
    const orders = first ? newOrders : [];
    first = false;
    lastCustomerAt = t;
    enqueue(g, {
      kind: 'customer',
      at: t,
      event: {
        kind: 'message',
        channel,
        channelAccountId: ref.channelAccountId,
        externalId: `demo.${g.seed}.${g.stamp}.${g.messages}`,
        customer: customerOn(person, channel),
        sentAt: t,
        content: content(),
        ...(extras.entryPoint ? { entryPoint: extras.entryPoint } : {}),
        ...(extras.payment ? { payment: true } : {}),
      },
      about: said.order && said.status ? { number: said.order.number, status: said.status } : null,
      // Rendered when the message is handed out, with the order as the shop then holds it.
      orders: orders.map((order) => renderOrder(order, t)),
    });
  };
  const mediaId = (): string => `demo-media.${g.seed}.${g.stamp}.${(g.media += 1)}`;

  let said: Said = { order: null, product: rng.pick(DEMO_CATALOG), status: null };
  let topic: Topic = 'presale';
  switch (flavour) {
    case 'ad_referral':
      customer(textOf('adReferral', person, said, rng), said, { entryPoint: 'ad_referral' });
      if (rng.chance(0.6)) {
        t += rng.int(20_000, 4 * MINUTE_MS);
        customer(questionOf('presale', person, said, rng), said);
      }
      break;
    case 'catalog': {
      const cart = newOrder(g, person, start + 90_000);
      newOrders.push(cart);
      if (rng.chance(0.4)) customer(textOf('greeting', person, said, rng), said);
      const note = rng.chance(0.5) ? fill(rng.pick(book.catalogNote), person, said, rng) : null;
      t = start + 90_000;
      said = { order: cart, product: cart.items[0]?.product ?? said.product, status: 'processing' };
      customer(catalogOrderOf(person, cart, note), said);
      topic = 'orderStatus';
      break;
    }
    case 'payment': {
      const order = newOrder(g, person, start);
      newOrders.push(order);
      said = { order, product: order.items[0]?.product ?? said.product, status: 'processing' };
      customer(textOf('paymentNotice', person, said, rng), said, { payment: true });
      topic = 'orderStatus';
      if (rng.chance(0.6)) {
        t += rng.int(MINUTE_MS, 10 * MINUTE_MS);
        customer(questionOf('orderStatus', person, said, rng), said);
      }
      break;
    }
    case 'plain': {
      if (rng.chance(0.7)) {
        // An order placed hours to weeks before; the question fits what it is now.
        const order = newOrder(g, person, start - rng.int(3 * HOUR_MS, 25 * DAY_MS));
        newOrders.push(order);
        const status = orderStatusAt(order, start);
        said = { order, product: rng.pick(order.items).product, status };
        topic = rng.pick(topicsFor(status));
      } else {
        topic = rng.pick(['presale', 'presale', 'booking'] as const);
      }
      if (rng.chance(0.35)) {
        customer(textOf('greeting', person, said, rng), said);
        t += rng.int(5_000, 60_000);
      }
      customer(questionOf(topic, person, said, rng), said);
      const attachment = rng.chance(0.3) ? mediaFor(topic, channel, said, rng) : null;
      if (attachment) {
        t += rng.int(20_000, 3 * MINUTE_MS);
        customer(mediaOf(attachment, channel, person, said, mediaId(), rng), said);
      }
      break;
    }
  }

  const teammate = rng.int(0, DEMO_TEAMMATES.length - 1);
  const windowMs = windowLengthMs(channel);
  const reply = (at: number, kind: 'answer' | 'closing'): void => {
    g.replies += 1;
    const phrases = TEAM_PHRASES[person.language];
    const list = kind === 'closing' ? phrases.closing : said.order ? phrases.order : phrases.answer;
    const body = fill(rng.pick(list), person, said, rng)().replace('{name}', person.firstName);
    enqueue(g, {
      kind: 'reply',
      at,
      conversation: ref,
      teammate,
      id: `demo-reply.${g.seed}.${g.stamp}.${g.replies}`,
      body,
    });
  };
  const resolve = (at: number): void =>
    enqueue(g, { kind: 'resolve', at, conversation: ref, teammate });

  let end: number;
  // A pinned episode is one nobody has answered yet (see PINNED_CLOSING_MINUTES).
  const delay = pinned ? null : pickupDelay(rng);
  if (delay === null || lastCustomerAt + delay >= lastCustomerAt + windowMs) {
    // Never answered: the window closes; a teammate tidies it up a day or two later.
    const closesAt = Number.isFinite(windowMs) ? lastCustomerAt + windowMs : lastCustomerAt;
    end = closesAt + rng.int(6 * HOUR_MS, 40 * HOUR_MS);
    resolve(end);
    // A month later their next question would count as answered a month late.
    g.unanswered.add(person);
  } else {
    let at = lastCustomerAt + delay;
    // A long wait makes some customers chase.
    if (delay > 45 * MINUTE_MS && rng.chance(0.4)) {
      t = lastCustomerAt + rng.int(20 * MINUTE_MS, delay - 5 * MINUTE_MS);
      customer(textOf('followUp', person, said, rng), said);
    }
    reply(at, 'answer');
    if (rng.chance(0.55)) {
      t = at + rng.int(MINUTE_MS, 90 * MINUTE_MS);
      if (rng.chance(0.6)) {
        customer(textOf('thanks', person, said, rng), said);
        end = t + rng.int(3 * MINUTE_MS, 45 * MINUTE_MS);
        resolve(end);
      } else {
        customer(questionOf(topic, person, said, rng), said);
        at = t + rng.int(2 * MINUTE_MS, 40 * MINUTE_MS);
        reply(at, 'closing');
        end = at + rng.int(10 * MINUTE_MS, 3 * HOUR_MS);
        if (rng.chance(0.8)) resolve(end);
      }
    } else {
      end = at + rng.int(HOUR_MS, 10 * HOUR_MS);
      if (rng.chance(0.75)) resolve(end);
    }
  }
  g.idleFrom.set(person, end);
}

/** The next step at or after the queue's head, planning arrivals as they come due. */
function nextStep(g: Generator): DemoStep {
  for (;;) {
    const head = g.queue[0];
    if (head && head.at < g.nextArrival) return g.queue.shift() as DemoStep;
    planEpisode(g, g.nextArrival);
    g.nextArrival = arrivalAfter(g, g.nextArrival);
  }
}

// ---------------------------------------------------------------------------------------------
// The world at `now`, and the live stream after it
// ---------------------------------------------------------------------------------------------

export interface DemoWorldOptions {
  readonly seed: number;
  /** The instant the world is built for (epoch ms): all history lies before it. */
  readonly now: number;
  /** Days of history before `now` (default 30: the dashboard's 30-day chart). */
  readonly historyDays?: number;
  /** Episodes (a customer writing in about something) per hour, on average over a day. */
  readonly episodesPerHour?: number;
}

export interface DemoWorld {
  /** Where the history begins (`historyDays` before `now`). */
  readonly from: number;
  /** The orders the history mentions, as the shop holds them at `now`. */
  readonly orders: DemoOrderInput[];
  /** The customers' messages before `now`, in time order. */
  readonly backfill: InboundMessage[];
  /** Every step before `now` (customer messages, teammates' replies and resolutions), in order. */
  readonly history: readonly DemoStep[];
  readonly teammates: readonly DemoTeammate[];
  /** What happens from `now` on: the episodes under way, then new ones. */
  readonly live: LiveStream;
}

export interface LiveStream {
  /** The next step, at or after the one before. */
  next(): DemoStep;
}

function checkOptions(seed: number, instant: number, perHour: number, days: number): void {
  if (!Number.isFinite(seed)) throw new RangeError('The demo seed must be a finite number');
  if (!Number.isFinite(instant)) throw new RangeError('The demo time must be a finite number');
  if (!Number.isFinite(perHour) || perHour <= 0 || perHour > 1_000) {
    throw new RangeError('The demo episodes per hour must be a number from 0 to 1000');
  }
  if (!Number.isFinite(days) || days < 0 || days > 400) {
    throw new RangeError('The demo history must be from 0 to 400 days');
  }
}

/**
 * A demo shop at `now`: `historyDays` of customers writing in and teammates answering them,
 * generated from the seed by the same process that then goes on live, so the mix at `now` is the
 * mix an hour or a day later (issue 12, item 12). Message ids carry the seed and `now`.
 */
/** Minutes before their windows close that the pinned waiting customers start at. */
const PINNED_CLOSING_MINUTES = [14, 31, 48] as const;

/**
 * The demo's KakaoTalk customer (issue #16): 이서연 writes in Korean through consultation talk and
 * waits for an agent. Written out rather than generated (the phrasebooks have no Korean, so
 * KakaoTalk is not one of the generated DEMO_CHANNELS), and drawing nothing from the seed's
 * streams, so the rest of the world is what the seed makes it.
 */
function koreanKakaoSteps(g: Generator, now: number): DemoStep[] {
  const customer: InboundCustomer = {
    externalId: `uk${(hashSeed(g.seed, 0x6b616b, 1) >>> 0).toString(36)}`,
    name: '이서연',
    phone: null,
    email: null,
    country: 'KR',
    language: 'ko',
  };
  const lines: readonly (readonly [number, string])[] = [
    [2 * HOUR_MS, '안녕하세요, 지난주에 주문한 가방이 아직 안 왔어요.'],
    [2 * HOUR_MS - 2 * MINUTE_MS, '배송 조회 부탁드려요. 언제쯤 받을 수 있을까요?'],
  ];
  return lines.map(([age, body], i) => ({
    kind: 'customer',
    at: now - age,
    event: {
      kind: 'message',
      channel: 'kakao',
      channelAccountId: 'demo-kakao',
      externalId: `demo.${g.seed}.${g.stamp}.kakao.${i + 1}`,
      customer,
      sentAt: now - age,
      content: { type: 'text', body },
    },
    about: null,
    orders: [],
  }));
}

export function createDemoWorld(options: DemoWorldOptions): DemoWorld {
  const perHour = options.episodesPerHour ?? DEFAULT_EPISODES_PER_HOUR;
  const days = options.historyDays ?? DEFAULT_HISTORY_DAYS;
  checkOptions(options.seed, options.now, perHour, days);
  const now = Math.floor(options.now);
  const g = createGenerator(
    options.seed,
    now - days * DAY_MS,
    perHour,
    1001,
    now - FULL_HISTORY_MS,
  );
  const history: DemoStep[] = [];
  for (;;) {
    const step = nextStep(g);
    if (step.at >= now) {
      g.queue.unshift(step);
      break;
    }
    history.push(step);
  }
  // A newcomer opening the demo sees windows about to close, whatever the hour: a few
  // WhatsApp customers who wrote almost a day ago and still wait for a reply. Planned with a
  // random stream of their own, so the rest of the world is what the seed makes it.
  const mainRng = g.rng;
  (g as { rng: Rng }).rng = createRng(hashSeed(options.seed, now, 7));
  for (const minutes of PINNED_CLOSING_MINUTES)
    planEpisode(g, now - DAY_MS + minutes * MINUTE_MS, { channel: 'whatsapp' });
  (g as { rng: Rng }).rng = mainRng;
  history.push(...koreanKakaoSteps(g, now));
  const past = g.queue.filter((step) => step.at < now);
  g.queue.splice(0, g.queue.length, ...g.queue.filter((step) => step.at >= now));
  history.push(...past);
  history.sort((a, b) => a.at - b.at);
  const backfill = history.flatMap((step) => (step.kind === 'customer' ? [step.event] : []));
  const orders = g.orders.map((order) => renderOrder(order, now));
  // Orders of the episodes already planned are stored now; the live stream adds only new ones.
  const known = new Set(orders.map((order) => order.number));
  for (let i = 0; i < g.queue.length; i += 1) {
    const step = g.queue[i] as DemoStep;
    if (step.kind === 'customer' && step.orders.length > 0) {
      g.queue[i] = { ...step, orders: step.orders.filter((o) => !known.has(o.number)) };
    }
  }
  return {
    from: now - days * DAY_MS,
    orders,
    backfill,
    history,
    teammates: DEMO_TEAMMATES,
    live: { next: () => nextStep(g) },
  };
}

export interface LiveStreamOptions {
  readonly seed: number;
  /** Epoch ms the stream starts at; the first step comes after it. */
  readonly start: number;
  readonly episodesPerHour?: number;
  /** The number of the first order it creates (above every stored one). */
  readonly firstOrderNumber?: number;
}

/**
 * The shop's traffic from `start` on, with no history behind it: for a hub that already holds a
 * demo (restarted), or one that slept and skips ahead.
 */
export function createLiveStream(options: LiveStreamOptions): LiveStream {
  const perHour = options.episodesPerHour ?? DEFAULT_EPISODES_PER_HOUR;
  checkOptions(options.seed, options.start, perHour, 0);
  const g = createGenerator(
    options.seed,
    Math.floor(options.start),
    perHour,
    options.firstOrderNumber ?? 1001,
  );
  return { next: () => nextStep(g) };
}

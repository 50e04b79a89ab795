import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/domain/channels';
import type { MessageContent } from '../../shared/domain/model';
import type { EntryPoint } from '../../shared/reply-window/types';
import type { InboundCustomer, InboundEvent, InboundMessage } from '../channels/types';
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

export const DEMO_CHANNELS = ['whatsapp', 'messenger', 'instagram', 'telegram', 'wechat'] as const;
export type DemoChannel = (typeof DEMO_CHANNELS)[number];

/** The business account every demo channel "receives" on; `demo-` routes replies to the demo sender. */
export function demoAccountId(channel: DemoChannel): string {
  return `demo-${channel}`;
}

export const DEFAULT_DEMO_CUSTOMERS = 60;
export const DEFAULT_MEAN_INTERVAL_MS = 4_000;

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
const LIVE_STREAM = 0x11fe;

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
      channel === 'whatsapp' || (channel === 'telegram' && person.telegramSharesPhone)
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
 * An order being planned. Messages hold it by reference and read `number` only when rendered:
 * numbers are assigned once every order is planned, and an order born in a conversation (a
 * catalog cart, a payment) gets its age once that conversation is placed in time.
 */
interface OrderDraft {
  readonly person: DemoPerson;
  readonly items: readonly { readonly product: CatalogProduct; readonly quantity: number }[];
  /** How the shop wrote the phone and email (various spellings, to exercise normalisation). */
  readonly phone: string;
  readonly email: string;
  /** ms before `now` the order was placed. */
  age: number;
  status: DemoOrderStatus;
  carrier: keyof typeof CARRIERS | null;
  trackingNumber: string | null;
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

function statusForAge(age: number, rng: Rng, returning: boolean): DemoOrderStatus {
  if (age < 1.5 * DAY_MS) return 'processing';
  if (age < 4.5 * DAY_MS) return rng.chance(0.15) ? 'processing' : 'shipped';
  if (returning && age > 12 * DAY_MS) return rng.chance(0.5) ? 'returned' : 'delivered';
  // People send back some of what they bought.
  return age > 20 * DAY_MS && rng.chance(0.1) ? 'returned' : 'delivered';
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

/** Date the order: its status (and so its carrier and tracking) follow from its age. */
function settleOrder(order: OrderDraft, age: number, rng: Rng, returning = false): void {
  order.age = age;
  order.status = statusForAge(age, rng, returning);
  order.carrier = order.status === 'processing' ? null : rng.pick(order.person.country.carriers);
  order.trackingNumber = order.carrier
    ? fillPattern(CARRIERS[order.carrier].trackingPattern, rng)
    : null;
}

function planOrder(person: DemoPerson, age: number, rng: Rng, returning = false): OrderDraft {
  const order: OrderDraft = {
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
    age,
    status: 'processing',
    carrier: null,
    trackingNumber: null,
    number: '',
  };
  settleOrder(order, age, rng, returning);
  return order;
}

function renderOrder(order: OrderDraft, now: number): DemoOrderInput {
  const currency = currencyOf(order.person);
  return {
    number: order.number,
    status: order.status,
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
    carrier: order.carrier,
    trackingNumber: order.trackingNumber,
    trackingUrl:
      order.carrier && order.trackingNumber
        ? CARRIERS[order.carrier].trackingUrl(order.trackingNumber)
        : null,
    createdAt: now - order.age,
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
};
const VOICE_MIME: Readonly<Record<DemoChannel, string>> = {
  whatsapp: 'audio/ogg; codecs=opus',
  messenger: 'audio/mp4',
  instagram: 'audio/mp4',
  telegram: 'audio/ogg',
  wechat: 'audio/amr',
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
}

/** Whether a phrase's placeholders make sense here (no {order} without an order, …). */
function fits(template: string, said: Said): boolean {
  if (template.includes('{order}') || template.includes('{amount}')) {
    if (said.order === null) return false;
  }
  return !template.includes('{garment}') || said.product.sized;
}

function phrase(list: readonly string[], rng: Rng, said: Said): string {
  const usable = list.filter((text) => fits(text, said));
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
  const text = fill(phrase(PHRASEBOOKS[person.language][kind], rng, said), person, said, rng);
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
      return () => ({
        type: 'image',
        media: { mediaId, mimeType: 'image/jpeg', caption: caption() },
      });
    }
    case 'document': {
      const caption = fill(book.documents[plan.document], person, said, rng);
      const filename = fill(DOCUMENT_FILENAMES[plan.document], person, said, rng);
      return () => ({
        type: 'document',
        media: {
          mediaId,
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
    return !needsOrder || said.order !== null;
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
// The world: who is in the inbox, and where each conversation's reply window stands at `now`
// ---------------------------------------------------------------------------------------------

/** Where the last customer message puts the conversation's window at `now`. */
type WindowTarget = 'fresh' | 'open' | 'closing' | 'closed_recent' | 'closed_old';
type Flavour = 'plain' | 'ad_referral' | 'catalog' | 'payment';

interface Slot {
  readonly channel: DemoChannel;
  readonly target: WindowTarget;
  readonly flavour: Flavour;
}

const slot = (channel: DemoChannel, target: WindowTarget, flavour: Flavour = 'plain'): Slot => ({
  channel,
  target,
  flavour,
});

/**
 * Conversations every demo has (given enough customers): each window state on each windowed
 * channel, Messenger conversations inside the 7-day HUMAN_AGENT period, ad referrals, catalog
 * orders and WeChat payments.
 */
const REQUIRED_SLOTS: readonly Slot[] = [
  slot('whatsapp', 'fresh'),
  slot('whatsapp', 'fresh'),
  slot('whatsapp', 'open'),
  slot('whatsapp', 'closing'),
  slot('whatsapp', 'closing'),
  slot('whatsapp', 'closed_recent'),
  slot('whatsapp', 'closed_old'),
  slot('whatsapp', 'fresh', 'ad_referral'),
  slot('whatsapp', 'open', 'ad_referral'),
  slot('whatsapp', 'closing', 'ad_referral'),
  slot('whatsapp', 'fresh', 'catalog'),
  slot('whatsapp', 'open', 'catalog'),
  slot('whatsapp', 'closed_recent', 'catalog'),
  slot('messenger', 'fresh'),
  slot('messenger', 'closing'),
  slot('messenger', 'closed_recent'),
  slot('messenger', 'closed_recent'),
  slot('messenger', 'closed_recent'),
  slot('messenger', 'closed_old'),
  slot('instagram', 'fresh'),
  slot('instagram', 'closing'),
  slot('instagram', 'closed_recent'),
  slot('instagram', 'closed_old'),
  slot('telegram', 'fresh'),
  slot('telegram', 'open'),
  slot('telegram', 'closed_old'),
  slot('wechat', 'fresh'),
  slot('wechat', 'closing'),
  slot('wechat', 'closed_recent'),
  slot('wechat', 'open', 'payment'),
  slot('wechat', 'fresh', 'payment'),
];

const CHANNEL_WEIGHTS: readonly (readonly [DemoChannel, number])[] = [
  ['whatsapp', 40],
  ['messenger', 20],
  ['instagram', 15],
  ['telegram', 12],
  ['wechat', 13],
];
const TARGET_WEIGHTS: readonly (readonly [WindowTarget, number])[] = [
  ['fresh', 20],
  ['open', 30],
  ['closing', 10],
  ['closed_recent', 20],
  ['closed_old', 20],
];

function windowLengthMs(channel: DemoChannel): number {
  return channel === 'wechat' ? 48 * HOUR_MS : 24 * HOUR_MS;
}

/** How long ago the conversation's last customer message was, for its target state. */
function lastAgeFor(channel: DemoChannel, target: WindowTarget, rng: Rng): number {
  const window = windowLengthMs(channel);
  switch (target) {
    case 'fresh':
      return rng.int(2 * MINUTE_MS, 55 * MINUTE_MS);
    case 'open':
      return rng.int(HOUR_MS, window - 2 * HOUR_MS);
    case 'closing':
      // Inside the last hour of the window: the timers agents must act on first.
      return window - rng.int(5 * MINUTE_MS, 55 * MINUTE_MS);
    case 'closed_recent':
      // Past the window but inside Messenger's / Instagram's 7-day HUMAN_AGENT period.
      return rng.int(window + HOUR_MS, Math.floor(6.5 * DAY_MS));
    case 'closed_old':
      return rng.int(8 * DAY_MS, 40 * DAY_MS);
  }
}

interface MessageDraft {
  readonly person: DemoPerson;
  readonly channel: DemoChannel;
  /** ms before `now`. */
  readonly age: number;
  readonly content: Content;
  readonly entryPoint?: EntryPoint;
  readonly payment?: boolean;
}

interface WorldPlan {
  readonly persons: readonly DemoPerson[];
  readonly channelOf: readonly DemoChannel[];
  readonly orders: readonly OrderDraft[];
  readonly messages: readonly MessageDraft[];
  /** Phones, emails and channel ids in use (new people in the live stream avoid them). */
  readonly used: Set<string>;
}

/** One message of an episode, at `offset` ms after its first message. */
interface EpisodeStep {
  readonly offset: number;
  readonly content: Content;
  readonly entryPoint?: EntryPoint;
  readonly payment?: boolean;
}

/** How old the order a question is about is when the customer asks. */
const ORDER_AGE_AT_QUESTION: Readonly<Record<Topic, readonly [number, number]>> = {
  orderStatus: [2 * DAY_MS, 6 * DAY_MS],
  delivery: [2 * DAY_MS, 5 * DAY_MS],
  returns: [8 * DAY_MS, 20 * DAY_MS],
  payment: [HOUR_MS, 10 * DAY_MS],
  booking: [0, 0],
  presale: [0, 0],
};

/**
 * One person's conversation: the episode that puts its window where the slot says (its last
 * message `lastAge` old), the orders it is about, sometimes an older exchange and older orders.
 */
function planConversation(
  seed: number,
  count: number,
  person: DemoPerson,
  { channel, target, flavour }: Slot,
): { readonly orders: OrderDraft[]; readonly messages: MessageDraft[] } {
  const own = createRng(hashSeed(seed, WORLD_STREAM, count, person.index));
  const lastAge = lastAgeFor(channel, target, own);
  const orders: OrderDraft[] = [];
  const messages: MessageDraft[] = [];
  let media = 0;
  const mediaId = (): string => `demo-media.${seed}.${person.index}.${(media += 1)}`;

  // The episode is built forward (offsets from its first message), then placed in time.
  const steps: EpisodeStep[] = [];
  let t = 0;
  const add = (gap: number, content: Content, extras: Partial<EpisodeStep> = {}): void => {
    t += gap;
    steps.push({ offset: t, content, ...extras });
  };
  const noOrder: Said = { order: null, product: own.pick(DEMO_CATALOG) };
  /** Orders placed by a message of this episode: dated once the episode is placed. */
  const born: { order: OrderDraft; step: number }[] = [];

  // Older history: orders from months ago.
  if (flavour !== 'ad_referral' && own.chance(0.4)) {
    for (let k = own.int(1, 2); k > 0; k -= 1) {
      orders.push(planOrder(person, lastAge + own.int(20 * DAY_MS, 200 * DAY_MS), own));
    }
  }

  switch (flavour) {
    case 'ad_referral': {
      // The pre-filled text of a click-to-WhatsApp ad, then perhaps a real question.
      const referral = textOf('adReferral', person, noOrder, own);
      add(0, referral, { entryPoint: 'ad_referral' });
      if (own.chance(0.6)) {
        add(own.int(20_000, 4 * MINUTE_MS), questionOf('presale', person, noOrder, own));
      }
      break;
    }
    case 'catalog': {
      if (own.chance(0.4)) add(0, textOf('greeting', person, noOrder, own));
      const cart = planOrder(person, 0, own);
      const note = own.chance(0.5)
        ? fill(own.pick(PHRASEBOOKS[person.language].catalogNote), person, noOrder, own)
        : null;
      add(own.int(15_000, 90_000), catalogOrderOf(person, cart, note));
      // The shop order the cart became.
      born.push({ order: cart, step: steps.length - 1 });
      break;
    }
    case 'payment': {
      const order = planOrder(person, 0, own);
      const said: Said = { order, product: order.items[0]?.product ?? noOrder.product };
      add(0, textOf('paymentNotice', person, said, own), { payment: true });
      born.push({ order, step: steps.length - 1 });
      if (own.chance(0.6)) {
        add(own.int(MINUTE_MS, 10 * MINUTE_MS), questionOf('orderStatus', person, said, own));
      }
      break;
    }
    case 'plain': {
      const shopper = own.chance(0.75);
      const topic: Topic = shopper
        ? own.pick(ORDER_TOPICS)
        : own.pick(['booking', 'presale'] as const);
      let said = noOrder;
      if (shopper) {
        const [min, max] = ORDER_AGE_AT_QUESTION[topic];
        const order = planOrder(person, lastAge + own.int(min, max), own, topic === 'returns');
        orders.push(order);
        said = { order, product: own.pick(order.items).product };
      }
      if (own.chance(0.4)) add(0, textOf('greeting', person, said, own));
      add(own.int(10_000, 90_000), questionOf(topic, person, said, own));
      const attachment = own.chance(0.3) ? mediaFor(topic, channel, said, own) : null;
      if (attachment) {
        const content = mediaOf(attachment, channel, person, said, mediaId(), own);
        add(own.int(20_000, 3 * MINUTE_MS), content);
      }
      if (own.chance(0.35)) {
        const chase = textOf('followUp', person, said, own);
        add(own.int(20 * MINUTE_MS, 5 * HOUR_MS), chase);
      }
      // A voice note now and then, whatever the topic.
      if (own.chance(0.08) && MEDIA_BY_CHANNEL[channel].includes('voice')) {
        const voice = mediaOf({ kind: 'voice' }, channel, person, said, mediaId(), own);
        add(own.int(30_000, 10 * MINUTE_MS), voice);
      }
      break;
    }
  }

  // Place the episode so that its last message is `lastAge` old.
  const ageOf = (step: EpisodeStep | undefined): number => lastAge + (t - (step?.offset ?? t));
  for (const step of steps) {
    messages.push({
      person,
      channel,
      age: ageOf(step),
      content: step.content,
      ...(step.entryPoint ? { entryPoint: step.entryPoint } : {}),
      ...(step.payment ? { payment: true } : {}),
    });
  }
  for (const { order, step } of born) {
    settleOrder(order, ageOf(steps[step]), own);
    orders.push(order);
  }

  // An earlier exchange, days or weeks before: a returning customer.
  if (flavour === 'plain' && own.chance(0.3)) {
    const earlier = lastAge + own.int(3 * DAY_MS, 60 * DAY_MS);
    const topic = own.pick(['presale', 'booking'] as const);
    messages.push({
      person,
      channel,
      age: earlier + own.int(2 * MINUTE_MS, 20 * MINUTE_MS),
      content: questionOf(topic, person, noOrder, own),
    });
    messages.push({
      person,
      channel,
      age: earlier,
      content: textOf('thanks', person, noOrder, own),
    });
  }
  return { orders, messages };
}

function planWorld(seed: number, count: number): WorldPlan {
  const rng = createRng(hashSeed(seed, WORLD_STREAM, count));
  const used = new Set<string>();
  const persons = Array.from({ length: count }, (_, index) => makePerson(seed, index, used));
  const extra = Array.from({ length: Math.max(0, count - REQUIRED_SLOTS.length) }, () =>
    slot(rng.weighted(CHANNEL_WEIGHTS), rng.weighted(TARGET_WEIGHTS)),
  );
  const slots = rng.shuffle([...REQUIRED_SLOTS.slice(0, count), ...extra]);

  const orders: OrderDraft[] = [];
  const messages: MessageDraft[] = [];
  persons.forEach((person, index) => {
    const planned = planConversation(seed, count, person, slots[index] as Slot);
    orders.push(...planned.orders);
    messages.push(...planned.messages);
  });

  // Order numbers rise with time, like a shop's: the oldest order is #1001.
  const byAge = [...orders].sort((a, b) => b.age - a.age || a.person.index - b.person.index);
  // Every demo shows a returned order (the order panel has a state for it).
  if (!orders.some((order) => order.status === 'returned')) {
    const oldest = byAge.find((order) => order.status === 'delivered');
    if (oldest) oldest.status = 'returned';
  }
  byAge.forEach((order, rank) => {
    order.number = String(1001 + rank);
  });
  return { persons, channelOf: slots.map((s) => s.channel), orders, messages, used };
}

export interface DemoWorldOptions {
  readonly seed: number;
  /** The instant the world is built for (epoch ms): all history lies before it. */
  readonly now: number;
  readonly customers?: number;
}

export interface DemoWorld {
  readonly orders: DemoOrderInput[];
  readonly backfill: InboundEvent[];
}

function checkOptions(seed: number, instant: number, customers: number): void {
  if (!Number.isFinite(seed)) throw new RangeError('The demo seed must be a finite number');
  if (!Number.isFinite(instant)) throw new RangeError('The demo time must be a finite number');
  if (!Number.isInteger(customers) || customers < 1 || customers > 10_000) {
    throw new RangeError('The number of demo customers must be an integer from 1 to 10000');
  }
}

/**
 * A demo inbox at `now`: orders for the order panel and the history of customer messages, with
 * reply windows in every state. Message ids (`demo.<seed>.<n>`) depend on the seed only, so
 * ingesting the same world twice stores it once.
 */
export function createDemoWorld(options: DemoWorldOptions): DemoWorld {
  const count = options.customers ?? DEFAULT_DEMO_CUSTOMERS;
  checkOptions(options.seed, options.now, count);
  const plan = planWorld(options.seed, count);
  const now = Math.floor(options.now);
  const drafts = plan.messages
    .map((draft, order) => ({ draft, order }))
    .sort((a, b) => b.draft.age - a.draft.age || a.order - b.order);
  const backfill: InboundEvent[] = drafts.map(({ draft }, n) => ({
    kind: 'message',
    channel: draft.channel,
    channelAccountId: demoAccountId(draft.channel),
    externalId: `demo.${options.seed}.${n + 1}`,
    customer: customerOn(draft.person, draft.channel),
    sentAt: now - draft.age,
    content: draft.content(),
    ...(draft.entryPoint ? { entryPoint: draft.entryPoint } : {}),
    ...(draft.payment ? { payment: true } : {}),
  }));
  const orders = [...plan.orders]
    .sort((a, b) => Number(a.number) - Number(b.number))
    .map((order) => renderOrder(order, now));
  return { orders, backfill };
}

// ---------------------------------------------------------------------------------------------
// The live stream: new messages after `start`
// ---------------------------------------------------------------------------------------------

export interface LiveStreamOptions {
  readonly seed: number;
  /** Epoch ms the stream starts at; the first message comes after it. */
  readonly start: number;
  /** Mean time between messages. */
  readonly meanIntervalMs?: number;
  /** The size of the world whose customers come back (as given to createDemoWorld). */
  readonly customers?: number;
}

export interface LiveStream {
  /** The next customer message, strictly later than the one before. */
  next(): { at: number; event: InboundMessage };
}

/** A conversation the stream keeps going: the customer follows up, sends a photo, says thanks. */
interface LiveThread {
  readonly person: DemoPerson;
  readonly channel: DemoChannel;
  readonly topic: Topic;
  readonly said: Said;
  /** 0: only greeted; 1: asked; 2 and on: following up. */
  stage: number;
  /** When the customer last wrote in it. */
  lastAt: number;
}

/**
 * How long a customer waits before writing again, by stage: the question follows a greeting
 * within seconds, a photo or detail within a minute, a "any news?" only after a while.
 */
function pauseAfter(stage: number): number {
  if (stage === 0) return 4_000;
  if (stage === 1) return 45_000;
  return 120_000;
}

const MAX_LIVE_THREADS = 30;

/**
 * An endless, deterministic stream of customer messages: people from the world coming back
 * (same channel identity, asking about their latest order), newcomers, and follow-ups in the
 * conversations the stream started. Arrivals are a Poisson process (exponential gaps), which is
 * how independent customers writing in actually behave.
 *
 * Ids are `demo.<seed>.live.<start>.<n>`: a hub restarted with the same seed starts a new stream
 * instead of replaying ids that deduplication would drop.
 */
export function createLiveStream(options: LiveStreamOptions): LiveStream {
  const count = options.customers ?? DEFAULT_DEMO_CUSTOMERS;
  checkOptions(options.seed, options.start, count);
  const mean = options.meanIntervalMs ?? DEFAULT_MEAN_INTERVAL_MS;
  if (!Number.isFinite(mean) || mean <= 0) {
    throw new RangeError('The mean interval must be a positive number of milliseconds');
  }
  const { seed } = options;
  const plan = planWorld(seed, count);
  const latestOrder = new Map<DemoPerson, OrderDraft>();
  for (const order of plan.orders) {
    const known = latestOrder.get(order.person);
    if (!known || order.age < known.age) latestOrder.set(order.person, order);
  }
  const rng = createRng(hashSeed(seed, LIVE_STREAM, options.start));
  const used = new Set(plan.used);
  const stamp = Math.floor(options.start).toString(36);
  const threads: LiveThread[] = [];
  let at = Math.floor(options.start);
  let n = 0;
  let nextPerson = count;
  let media = 0;

  const mediaId = (): string => `demo-media.${seed}.live.${stamp}.${(media += 1)}`;

  function message(
    person: DemoPerson,
    channel: DemoChannel,
    content: Content,
    extras: { readonly entryPoint?: EntryPoint } = {},
  ): InboundMessage {
    n += 1;
    return {
      kind: 'message',
      channel,
      channelAccountId: demoAccountId(channel),
      externalId: `demo.${seed}.live.${stamp}.${n}`,
      customer: customerOn(person, channel),
      sentAt: at,
      content: content(),
      ...extras,
    };
  }

  function remember(thread: LiveThread): void {
    threads.push(thread);
    if (threads.length > MAX_LIVE_THREADS) threads.shift();
  }

  /** A conversation whose customer would plausibly write again by now, recent ones first. */
  function readyThread(): LiveThread | null {
    const ready = threads.filter((thread) => at - thread.lastAt >= pauseAfter(thread.stage));
    if (ready.length === 0) return null;
    const back = Math.min(ready.length - 1, Math.floor(-Math.log(1 - rng.float()) * 3));
    return ready[ready.length - 1 - back] ?? null;
  }

  function continueThread(thread: LiveThread): InboundMessage {
    const { person, channel, topic, said } = thread;
    thread.stage += 1;
    thread.lastAt = at;
    if (thread.stage === 1) return message(person, channel, questionOf(topic, person, said, rng));
    if (thread.stage === 2) {
      const kind = rng.chance(0.7) ? mediaFor(topic, channel, said, rng) : null;
      if (kind) {
        return message(person, channel, mediaOf(kind, channel, person, said, mediaId(), rng));
      }
    } else if (thread.stage >= 4 || rng.chance(0.4)) {
      threads.splice(threads.indexOf(thread), 1);
      return message(person, channel, textOf('thanks', person, said, rng));
    }
    return message(person, channel, textOf('followUp', person, said, rng));
  }

  function returning(): InboundMessage {
    // Someone already mid-conversation in the stream continues there, not in a second thread.
    let index = rng.int(0, count - 1);
    for (let tries = 0; tries < 5 && threads.some((t) => t.person.index === index); tries += 1) {
      index = rng.int(0, count - 1);
    }
    if (threads.some((t) => t.person.index === index)) return newcomer();
    const person = plan.persons[index] as DemoPerson;
    const channel = plan.channelOf[index] as DemoChannel;
    const order = latestOrder.get(person) ?? null;
    if (order && rng.chance(0.85)) {
      const said: Said = { order, product: rng.pick(order.items).product };
      const topic = rng.pick(ORDER_TOPICS);
      remember({ person, channel, topic, said, stage: 1, lastAt: at });
      return message(person, channel, questionOf(topic, person, said, rng));
    }
    const said: Said = { order: null, product: rng.pick(DEMO_CATALOG) };
    const topic = rng.pick(['presale', 'booking'] as const);
    remember({ person, channel, topic, said, stage: 1, lastAt: at });
    return message(person, channel, questionOf(topic, person, said, rng));
  }

  function newcomer(): InboundMessage {
    const person = makePerson(seed, nextPerson, used);
    nextPerson += 1;
    const channel = rng.weighted(CHANNEL_WEIGHTS);
    const said: Said = { order: null, product: rng.pick(DEMO_CATALOG) };
    if (channel === 'whatsapp' && rng.chance(0.25)) {
      remember({ person, channel, topic: 'presale', said, stage: 1, lastAt: at });
      if (rng.chance(0.6)) {
        return message(person, channel, textOf('adReferral', person, said, rng), {
          entryPoint: 'ad_referral',
        });
      }
      const cart = planOrder(person, 0, rng);
      const note = rng.chance(0.5)
        ? fill(rng.pick(PHRASEBOOKS[person.language].catalogNote), person, said, rng)
        : null;
      return message(person, channel, catalogOrderOf(person, cart, note));
    }
    // Newcomers have no orders yet: they ask before buying, about a booking, or how to pay.
    const topic = rng.pick(['presale', 'presale', 'booking', 'payment'] as const);
    if (rng.chance(0.4)) {
      remember({ person, channel, topic, said, stage: 0, lastAt: at });
      return message(person, channel, textOf('greeting', person, said, rng));
    }
    remember({ person, channel, topic, said, stage: 1, lastAt: at });
    return message(person, channel, questionOf(topic, person, said, rng));
  }

  return {
    next() {
      // Exponential gaps around the mean, kept between 0.3 s and 8 means.
      const gap = Math.round(-Math.log(1 - rng.float()) * mean);
      at += Math.min(Math.max(300, gap), Math.max(300, Math.round(mean * 8)));
      const roll = rng.float();
      const thread = roll < 0.45 ? readyThread() : null;
      const event = thread ? continueThread(thread) : roll < 0.75 ? returning() : newcomer();
      return { at, event };
    },
  };
}

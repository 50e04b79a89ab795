import { CHANNEL_INFO, type ChannelKind } from '../../../../../shared/domain/channels';
import type { FieldError } from '../../../../../shared/protocol/field-errors';
import type { NewShop, ShopChanges, ShopKind, ShopKindView, ShopView } from './shop-api';

/**
 * The connect/edit form of a shop as values (`@mantine/form` holds them), and what the hub is
 * sent from them. Pure, so the rules are tested without a browser.
 */
export interface ShopFormValues {
  readonly kind: ShopKind;
  readonly name: string;
  readonly url: string;
  /** Empty: every channel. */
  readonly channels: ChannelKind[];
  /** What the admin typed, by credential key; empty keeps a stored one (on edit). */
  readonly credentials: Record<string, string>;
}

/** Errors by field path, as `@mantine/form` and the hub name them (`credentials.accessToken`). */
export type ShopFormErrors = Record<string, string>;

/** The fields the form draws for a kind: the hub's errors elsewhere are said below them. */
export const placedFields = (kind: ShopKindView | undefined): string[] => [
  'kind',
  'name',
  'url',
  'channels',
  ...(kind?.credentials ?? []).map((c) => credentialPath(c.key)),
];

export const credentialPath = (key: string): string => `credentials.${key}`;

/** Every kind's credential keys, empty: switching kinds on a new shop keeps the inputs controlled. */
function blankCredentials(kinds: readonly ShopKindView[]): Record<string, string> {
  return Object.fromEntries(kinds.flatMap((k) => k.credentials.map((c) => [c.key, ''])));
}

/** A new shop's form: the first kind the hub offers, nothing typed. */
export function newShopForm(kinds: readonly ShopKindView[]): ShopFormValues {
  return {
    kind: kinds[0]?.kind ?? 'shopify',
    name: '',
    url: '',
    channels: [],
    credentials: blankCredentials(kinds),
  };
}

/** A saved shop's form: its fields as saved, no credential typed (they are never shown). */
export function shopForm(shop: ShopView, kinds: readonly ShopKindView[]): ShopFormValues {
  return {
    kind: shop.kind,
    name: shop.name,
    url: shop.url,
    channels: [...shop.channels],
    credentials: blankCredentials(kinds),
  };
}

const typed = (value: string | undefined): string => value?.trim() ?? '';

/** "Consumer key" → "consumer key" inside a sentence; "API key" stays. */
const inSentence = (label: string): string =>
  /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;

/** An address the hub can be asked about: http(s) only; the hub says the rest (https, no query). */
function urlProblem(raw: string, kind: ShopKindView | undefined): string | null {
  const example = kind ? `, such as ${kind.urlExample}` : '';
  if (raw === '') return `Enter the shop’s address${example}.`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `Enter the whole address with https://${example}.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `Enter the whole address with https://${example}.`;
  return null;
}

/**
 * The form's own check: a name, an address, and every credential the kind needs — on a new shop
 * all of them; on a saved one only those the hub does not have (a stored one stays when left
 * empty).
 */
export function validateShopForm(
  values: ShopFormValues,
  kinds: readonly ShopKindView[],
  shop: ShopView | null,
): ShopFormErrors {
  const kind = kinds.find((k) => k.kind === values.kind);
  const errors: ShopFormErrors = {};
  if (!kind) errors['kind'] = 'Choose the kind of shop.';
  if (typed(values.name) === '') errors['name'] = 'Give the shop a name agents will recognise.';
  const url = urlProblem(typed(values.url), kind);
  if (url !== null) errors['url'] = url;
  for (const credential of kind?.credentials ?? []) {
    const stored = shop?.credentials[credential.key]?.set === true;
    if (!stored && typed(values.credentials[credential.key]) === '')
      errors[credentialPath(credential.key)] = `Enter the ${inSentence(credential.label)}.`;
  }
  return errors;
}

/** The credentials typed for the kind, trimmed (a pasted token often ends in a newline). */
function typedCredentials(values: ShopFormValues, kind: ShopKindView | undefined) {
  const credentials: Record<string, string> = {};
  for (const { key } of kind?.credentials ?? []) {
    const value = typed(values.credentials[key]);
    if (value !== '') credentials[key] = value;
  }
  return credentials;
}

/** `POST /api/admin/shops` from a valid form. */
export function newShopBody(values: ShopFormValues, kinds: readonly ShopKindView[]): NewShop {
  return {
    kind: values.kind,
    name: typed(values.name),
    url: typed(values.url),
    channels: values.channels,
    credentials: typedCredentials(
      values,
      kinds.find((k) => k.kind === values.kind),
    ),
  };
}

const sameChannels = (a: readonly ChannelKind[], b: readonly ChannelKind[]): boolean =>
  a.length === b.length && a.every((kind) => b.includes(kind));

/**
 * `PATCH /api/admin/shops/:id` from a valid form: only what changed, and only the credentials
 * typed in (the others stay as stored). Empty when nothing changed.
 */
export function shopChanges(
  shop: ShopView,
  values: ShopFormValues,
  kinds: readonly ShopKindView[],
): ShopChanges {
  const name = typed(values.name);
  const url = typed(values.url);
  const credentials = typedCredentials(
    values,
    kinds.find((k) => k.kind === shop.kind),
  );
  return {
    ...(name !== shop.name ? { name } : {}),
    ...(url !== shop.url ? { url } : {}),
    ...(sameChannels(values.channels, shop.channels) ? {} : { channels: values.channels }),
    ...(Object.keys(credentials).length > 0 ? { credentials } : {}),
  };
}

/**
 * The hub's refusal split for the form: errors of fields it draws go beside them, the rest (or a
 * refusal naming no field) is said once below.
 */
export function placeHubErrors(
  fields: readonly FieldError[],
  placed: readonly string[],
): { readonly beside: ShopFormErrors; readonly general: string[] } {
  const beside: ShopFormErrors = {};
  const general: string[] = [];
  for (const { path, message } of fields) {
    if (placed.includes(path))
      beside[path] = beside[path] ? `${beside[path]} · ${message}` : message;
    else general.push(message);
  }
  return { beside, general };
}

/** "All channels", or the channels' names in the app's order. */
export function channelsLabel(channels: readonly ChannelKind[]): string {
  if (channels.length === 0) return 'All channels';
  return (Object.keys(CHANNEL_INFO) as ChannelKind[])
    .filter((kind) => channels.includes(kind))
    .map((kind) => CHANNEL_INFO[kind].label)
    .join(', ');
}

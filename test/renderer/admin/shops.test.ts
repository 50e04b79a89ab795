import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MantineProvider } from '@mantine/core';
import { useForm } from '@mantine/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../../src/server/hub';
import {
  createDataLayer,
  HubRequestError,
  type DataLayer,
} from '../../../src/renderer/src/data/data-layer';
import {
  SHOPS_PATH,
  shopsAnswerSchema,
  shopsApi,
  type ShopKindView,
  type ShopsApi,
  type ShopView,
} from '../../../src/renderer/src/features/admin/shops/shop-api';
import {
  channelsLabel,
  newShopBody,
  newShopForm,
  placedFields,
  placeHubErrors,
  shopChanges,
  shopForm,
  validateShopForm,
  type ShopFormErrors,
  type ShopFormValues,
} from '../../../src/renderer/src/features/admin/shops/shop-form';
import {
  ShopCard,
  type ShopCardProps,
} from '../../../src/renderer/src/features/admin/shops/ShopCard';
import { ShopFormFields } from '../../../src/renderer/src/features/admin/shops/ShopFormModal';
import { ShopsEmptyState } from '../../../src/renderer/src/features/admin/shops/ShopList';
import { NO_TEST } from '../../../src/renderer/src/features/admin/shops/use-shops';
import { T0 } from '../fixtures';
import { newIndexedDb } from '../data/support';
import { login, startTestHub } from '../../support/hub';
import { testShopAt, testShopKind } from '../../support/test-shop';

const KINDS: ShopKindView[] = [
  {
    kind: 'shopify',
    label: 'Shopify',
    urlExample: 'https://acme.myshopify.com',
    credentials: [
      { key: 'accessToken', label: 'Admin API access token', hint: 'Starts with shpat_.' },
    ],
  },
  {
    kind: 'woocommerce',
    label: 'WooCommerce',
    urlExample: 'https://shop.example.com',
    credentials: [
      { key: 'consumerKey', label: 'Consumer key', hint: 'Starts with ck_.' },
      { key: 'consumerSecret', label: 'Consumer secret', hint: 'Starts with cs_.' },
    ],
  },
];

const woo = (patch: Partial<ShopView> = {}): ShopView => ({
  id: 'shp_woo',
  kind: 'woocommerce',
  name: 'Großhandel Süd',
  url: 'https://shop.example.com',
  channels: ['whatsapp', 'telegram'],
  enabled: true,
  credentials: { consumerKey: { set: true }, consumerSecret: { set: false } },
  shopName: null,
  lastOkAt: null,
  lastError: null,
  createdAt: T0,
  updatedAt: T0,
  ...patch,
});

const typed = (patch: Partial<ShopFormValues>): ShopFormValues => ({
  ...newShopForm(KINDS),
  ...patch,
});

const render = (node: ReactNode): string =>
  renderToStaticMarkup(createElement(MantineProvider, null, node));

/** The form's fields as they render for these values and errors (a form per render). */
function FieldsOf({
  values,
  errors,
  shop,
}: {
  values: ShopFormValues;
  errors: ShopFormErrors;
  shop: ShopView | null;
}) {
  const form = useForm<ShopFormValues>({
    mode: 'controlled',
    initialValues: values,
    initialErrors: errors,
  });
  return createElement(ShopFormFields, { form, kinds: KINDS, shop });
}
const fields = (values: ShopFormValues, errors: ShopFormErrors, shop: ShopView | null = null) =>
  render(createElement(FieldsOf, { values, errors, shop }));

const card = (props: Partial<ShopCardProps>): string =>
  render(
    createElement(ShopCard, {
      shop: woo(),
      kind: KINDS[1],
      test: NO_TEST,
      pendingEnabled: null,
      onTest: () => undefined,
      onEnabled: () => undefined,
      onEdit: () => undefined,
      onRemove: () => undefined,
      ...props,
    }),
  );

/** The `<input>` tag carrying `data-testid`, for its attributes. */
const inputTag = (html: string, testId: string): string =>
  new RegExp(`<input[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? '';

describe('the shop form’s own check', () => {
  it('asks a new Shopify shop for a name, a whole address and its access token', () => {
    expect(validateShopForm(newShopForm(KINDS), KINDS, null)).toEqual({
      name: 'Give the shop a name agents will recognise.',
      url: 'Enter the shop’s address, such as https://acme.myshopify.com.',
      'credentials.accessToken': 'Enter the admin API access token.',
    });
    expect(
      validateShopForm(
        typed({ name: 'EU', url: 'acme.myshopify.com', credentials: { accessToken: 'shpat_1' } }),
        KINDS,
        null,
      ),
    ).toEqual({
      url: 'Enter the whole address with https://, such as https://acme.myshopify.com.',
    });
    expect(
      validateShopForm(
        typed({ name: 'EU', url: 'ftp://acme.example', credentials: { accessToken: 'x' } }),
        KINDS,
        null,
      ),
    ).toEqual({
      url: 'Enter the whole address with https://, such as https://acme.myshopify.com.',
    });
  });

  it('asks WooCommerce for both its key and secret, and takes blanks as missing', () => {
    const values = typed({
      kind: 'woocommerce',
      name: '  ',
      url: 'https://shop.example.com',
      credentials: { accessToken: 'shpat_typed_before_switching', consumerKey: ' \n' },
    });
    expect(validateShopForm(values, KINDS, null)).toEqual({
      name: 'Give the shop a name agents will recognise.',
      'credentials.consumerKey': 'Enter the consumer key.',
      'credentials.consumerSecret': 'Enter the consumer secret.',
    });
  });

  it('on a saved shop asks only for the credentials the hub does not have', () => {
    const shop = woo();
    expect(validateShopForm(shopForm(shop, KINDS), KINDS, shop)).toEqual({
      'credentials.consumerSecret': 'Enter the consumer secret.',
    });
    const bothSet = woo({
      credentials: { consumerKey: { set: true }, consumerSecret: { set: true } },
    });
    expect(validateShopForm(shopForm(bothSet, KINDS), KINDS, bothSet)).toEqual({});
  });
});

describe('what the form sends', () => {
  it('connects a shop with its kind’s credentials only, trimmed', () => {
    const values = typed({
      kind: 'shopify',
      name: ' EU store ',
      url: ' https://acme.myshopify.com ',
      channels: ['instagram'],
      credentials: { accessToken: 'shpat_abc\n', consumerKey: 'ck_typed_then_switched' },
    });
    expect(newShopBody(values, KINDS)).toEqual({
      kind: 'shopify',
      name: 'EU store',
      url: 'https://acme.myshopify.com',
      channels: ['instagram'],
      credentials: { accessToken: 'shpat_abc' },
    });
  });

  it('patches only what changed, and only the credentials typed in', () => {
    const shop = woo();
    const unchanged = shopForm(shop, KINDS);
    expect(unchanged.credentials).toEqual({ accessToken: '', consumerKey: '', consumerSecret: '' });
    expect(shopChanges(shop, unchanged, KINDS)).toEqual({});
    // The same channels in another order are no change.
    expect(shopChanges(shop, { ...unchanged, channels: ['telegram', 'whatsapp'] }, KINDS)).toEqual(
      {},
    );
    expect(
      shopChanges(
        shop,
        {
          ...unchanged,
          name: 'Großhandel Süd ',
          channels: [],
          credentials: { ...unchanged.credentials, consumerSecret: ' cs_new ' },
        },
        KINDS,
      ),
    ).toEqual({ channels: [], credentials: { consumerSecret: 'cs_new' } });
  });

  it('puts the hub’s field errors beside their fields and the rest below', () => {
    const placed = placedFields(KINDS[0]);
    expect(
      placeHubErrors(
        [
          { path: 'url', message: 'The shop’s address must start with https://.' },
          { path: 'credentials.accessToken', message: 'Shopify refused the access token (401).' },
          { path: 'credentials', message: 'Unknown credential "apiKey".' },
        ],
        placed,
      ),
    ).toEqual({
      beside: {
        url: 'The shop’s address must start with https://.',
        'credentials.accessToken': 'Shopify refused the access token (401).',
      },
      general: ['Unknown credential "apiKey".'],
    });
  });

  it('names the channels a shop serves, or all of them', () => {
    expect(channelsLabel([])).toBe('All channels');
    expect(channelsLabel(['sms', 'whatsapp', 'line'])).toBe('WhatsApp, LINE, SMS');
  });
});

describe('the shop form’s fields', () => {
  it('shows each error beside its field, the hub’s too', () => {
    const html = fields(newShopForm(KINDS), {
      ...validateShopForm(newShopForm(KINDS), KINDS, null),
      ...placeHubErrors(
        [{ path: 'url', message: 'No shop answers at this address (404).' }],
        ['url'],
      ).beside,
    });
    expect(html).toContain('Give the shop a name agents will recognise.');
    expect(html).toContain('No shop answers at this address (404).');
    expect(html).toContain('Enter the admin API access token.');
    expect(html).toContain('The shop’s address, such as https://acme.myshopify.com.');
    expect(html).toContain('Starts with shpat_.');
    expect(html).toContain('placeholder="All channels"');
  });

  it('keeps saved credentials write-only: their state, an empty password input, never a value', () => {
    const shop = woo();
    // Whatever the admin typed earlier is gone once saved: the form is rebuilt from the shop.
    const html = fields(shopForm(shop, KINDS), {}, shop);
    const key = inputTag(html, 'shop-credential-input-consumerKey');
    const secret = inputTag(html, 'shop-credential-input-consumerSecret');
    expect(key).toContain('type="password"');
    expect(key).toContain('value=""');
    expect(key).toContain('placeholder="Set — enter a new value to replace"');
    expect(secret).toContain('type="password"');
    expect(secret).toContain('value=""');
    expect(secret).toContain('placeholder="Paste it here"');
    expect(html).toContain('>Set<');
    expect(html).toContain('>Not set<');
    // Editing keeps the kind: no switch between kinds, and no Shopify token field.
    expect(html).not.toContain('data-testid="shop-kind"');
    expect(html).not.toContain('shop-credential-input-accessToken');
  });
});

describe('a shop’s card', () => {
  it('shows the shop’s own name after a good test', () => {
    const html = card({
      test: { running: false, answer: { ok: true, shopName: 'Acme Europe GmbH' }, failure: null },
    });
    expect(html).toMatch(/data-testid="shop-test-result" data-ok="true"/);
    expect(html).toContain('Connected to <span');
    expect(html).toContain('>Acme Europe GmbH</span>');
  });

  it('shows the shop’s exact reason when the test fails, and the hub’s when it cannot ask', () => {
    const refused = card({
      test: {
        running: false,
        answer: { ok: false, error: 'WooCommerce refused the consumer key (401).' },
        failure: null,
      },
    });
    expect(refused).toMatch(
      /data-testid="shop-test-result" data-ok="false"[^>]*>WooCommerce refused the consumer key \(401\)\.</,
    );
    const offline = card({
      test: { running: false, answer: null, failure: 'The hub cannot be reached.' },
    });
    expect(offline).toMatch(/data-ok="false"[^>]*>The hub cannot be reached\.</);
    expect(card({})).not.toContain('shop-test-result');
  });

  it('shows whom it serves, its credentials’ state, its last error and its switch', () => {
    const html = card({
      shop: woo({
        channels: [],
        lastError: { message: 'Shopify refused the access token (401).', at: T0 },
      }),
    });
    expect(html).toContain('>All channels<');
    expect(html).toMatch(/data-testid="shop-credential-consumerKey" data-set="true"/);
    expect(html).toMatch(/data-testid="shop-credential-consumerSecret" data-set="false"/);
    expect(html).toContain('>Consumer key: set<');
    expect(html).toContain('>Consumer secret: not set<');
    expect(html).toContain('Shopify refused the access token (401). (');
    expect(html).toContain('Needs attention');
    expect(inputTag(html, 'shop-enabled')).toContain('checked=""');
    const off = card({ shop: woo({ enabled: false }) });
    expect(inputTag(off, 'shop-enabled')).not.toContain('checked=""');
    expect(off).toContain('>Off<');
  });

  it('explains what connecting a shop gives agents when there is none', () => {
    const html = render(
      createElement(ShopsEmptyState, { kinds: KINDS, onConnect: () => undefined }),
    );
    expect(html).toContain('Connect your Shopify or WooCommerce shop');
    expect(html).toContain('beside the conversation');
    expect(html).toContain('Connect a shop');
  });
});

describe('the shops API through the data layer and the hub', () => {
  const SHOP_URL = 'https://acme.shop.test';
  let hub: RunningHub;
  let layer: DataLayer;
  let shops: ShopsApi;
  // The hub's own shop kind for tests: an in-memory shop per address, its own token.
  const kinds: ShopKindView[] = [
    {
      kind: 'shopify',
      label: 'Test shop',
      urlExample: 'https://shop.test',
      credentials: [{ key: 'accessToken', label: 'access token', hint: 'Any.' }],
    },
  ];

  beforeAll(async () => {
    testShopAt(SHOP_URL, 'Acme EU', 'tok-right');
    hub = await startTestHub({ shops: { kinds: [testShopKind] } });
    layer = createDataLayer({
      hubUrl: hub.url,
      token: await login(hub.url),
      me: { id: 'usr_admin', name: 'Admin', role: 'admin', email: null },
      dexie: newIndexedDb(),
    });
    shops = shopsApi(layer);
  });
  afterAll(async () => {
    layer.close();
    await hub.close();
  });

  it('puts the hub’s refusal beside the fields it names', async () => {
    const refused = await shops
      .create(newShopBody(typed({ name: 'EU', url: 'http://acme.example' }), kinds))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HubRequestError);
    expect((refused as HubRequestError).status).toBe(400);
    expect(placeHubErrors((refused as HubRequestError).fields, placedFields(kinds[0]))).toEqual({
      beside: {
        url: 'The shop’s address must start with https://.',
        'credentials.accessToken': 'Enter the access token.',
      },
      general: [],
    });
  });

  it('tests with the shop’s reason, then its name once the edit sent only the new token', async () => {
    const values = typed({
      name: 'EU store',
      url: SHOP_URL,
      credentials: { accessToken: 'tok-wrong' },
    });
    const shop = await shops.create(newShopBody(values, kinds));
    expect(shop.credentials).toEqual({ accessToken: { set: true } });
    expect(await shops.test(shop.id)).toEqual({
      ok: false,
      error: 'The shop refused the access token (401).',
    });

    const form = shopForm(shop, kinds);
    expect(form.credentials['accessToken']).toBe('');
    const changes = shopChanges(
      shop,
      { ...form, credentials: { ...form.credentials, accessToken: 'tok-right' } },
      kinds,
    );
    expect(changes).toEqual({ credentials: { accessToken: 'tok-right' } });
    const saved = await shops.update(shop.id, changes);
    expect(saved.name).toBe('EU store');
    expect(JSON.stringify(saved)).not.toContain('tok-');
    expect(await shops.test(shop.id)).toEqual({ ok: true, shopName: 'Acme EU' });

    // The list keeps both the shop's own name and no credential value.
    const listed = await layer.request('GET', SHOPS_PATH, shopsAnswerSchema);
    expect(listed.shops.map((s) => [s.name, s.shopName, s.lastError])).toEqual([
      ['EU store', 'Acme EU', null],
    ]);
    expect(JSON.stringify(listed)).not.toContain('tok-');

    await shops.remove(shop.id);
    expect((await layer.request('GET', SHOPS_PATH, shopsAnswerSchema)).shops).toEqual([]);
  });
});

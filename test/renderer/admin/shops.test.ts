import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MantineProvider } from '@mantine/core';
import { useForm } from '@mantine/form';
import { afterEach, describe, expect, it } from 'vitest';
import { createDataLayer, HubRequestError } from '../../../src/renderer/src/data/data-layer';
import {
  shopsApi,
  type ShopKindView,
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
    expect(html).toContain('placeholder="https://acme.myshopify.com"');
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

/** A hub answering the admin shops API as notes/shops-api.md has it, recording each request. */
interface FakeHub {
  readonly url: string;
  readonly requests: { method: string; path: string; body: unknown }[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

async function fakeHub(): Promise<FakeHub> {
  const shop = woo({ credentials: { consumerKey: { set: true }, consumerSecret: { set: true } } });
  const requests: FakeHub['requests'] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = req.url ?? '';
      const method = req.method ?? '';
      requests.push({ method, path, body });
      const json = (status: number, answer: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      };
      if (method === 'POST' && path === '/api/admin/shops')
        return json(400, {
          error: 'bad_request',
          message: 'The shop could not be saved.',
          // As the hub's shops API names them: a map of path to message.
          details: {
            fields: {
              url: 'The shop’s address must start with https://.',
              'credentials.accessToken': 'Enter the Admin API access token.',
            },
          },
        });
      if (method === 'PATCH' && path === `/api/admin/shops/${shop.id}`)
        return json(200, { shop: { ...shop, ...(body as object), credentials: shop.credentials } });
      if (method === 'POST' && path === `/api/admin/shops/${shop.id}/test`)
        return json(200, { ok: false, error: 'WooCommerce refused the consumer key (401).' });
      if (method === 'DELETE' && path === `/api/admin/shops/${shop.id}`)
        return json(200, { deleted: shop.id });
      json(404, { error: 'not_found', message: 'No such route.' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const closing: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

describe('the shops API through the data layer', () => {
  async function api() {
    const hub = await fakeHub();
    const layer = createDataLayer({
      hubUrl: hub.url,
      token: 'admin-token',
      me: { id: 'usr_admin', name: 'Admin', role: 'admin', email: null },
      dexie: newIndexedDb(),
    });
    closing.push(
      () => hub.close(),
      () => layer.close(),
    );
    return { hub, shops: shopsApi(layer) };
  }

  it('sends an edit as PATCH with only the credential typed in, and gets no value back', async () => {
    const { hub, shops } = await api();
    const shop = woo({
      credentials: { consumerKey: { set: true }, consumerSecret: { set: true } },
    });
    const values = shopForm(shop, KINDS);
    const changes = shopChanges(
      shop,
      { ...values, credentials: { ...values.credentials, consumerSecret: 'cs_rotated' } },
      KINDS,
    );
    const saved = await shops.update(shop.id, changes);
    expect(hub.requests).toEqual([
      {
        method: 'PATCH',
        path: '/api/admin/shops/shp_woo',
        body: { credentials: { consumerSecret: 'cs_rotated' } },
      },
    ]);
    expect(saved.credentials).toEqual({
      consumerKey: { set: true },
      consumerSecret: { set: true },
    });
    expect(JSON.stringify(saved)).not.toContain('cs_rotated');
  });

  it('hands the hub’s refusal over with its fields, the test’s reason, and a removal', async () => {
    const { hub, shops } = await api();
    const refused = await shops
      .create(newShopBody(typed({ name: 'EU', url: 'http://acme.example' }), KINDS))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HubRequestError);
    expect((refused as HubRequestError).status).toBe(400);
    expect((refused as HubRequestError).fields).toEqual([
      { path: 'url', message: 'The shop’s address must start with https://.' },
      { path: 'credentials.accessToken', message: 'Enter the Admin API access token.' },
    ]);
    expect(await shops.test('shp_woo')).toEqual({
      ok: false,
      error: 'WooCommerce refused the consumer key (401).',
    });
    await expect(shops.remove('shp_woo')).resolves.toBeUndefined();
    expect(hub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/admin/shops',
      'POST /api/admin/shops/shp_woo/test',
      'DELETE /api/admin/shops/shp_woo',
    ]);
  });
});

import { useEffect, useState, type CSSProperties } from 'react';
import { Anchor, Box, Button, Group, Text } from '@mantine/core';
import { IconCheck, IconFilePlus, IconShoppingCart } from '@tabler/icons-react';
import { formatPrice } from '../../../../shared/pricing';
import {
  catalogProductsSchema,
  draftOrderAnswerSchema,
  type CatalogProduct,
  type DraftOrderAnswer,
} from '../../../../shared/protocol/shops';
import { useOptionalData } from '../../data/hooks';
import type { DataLayer } from '../../data/data-layer';
import { useShopImage } from '../../data/shop-image';
import { orderTotals, safeHttpUrl, type OrderContent } from './message-format';

/**
 * A WhatsApp catalog order (issue #17 item 6): the cart's items with the names, variants and
 * pictures of the products the connected shops know by the catalog's ids (SKU or product id),
 * the catalog's prices and the cart total. Unknown ids, an offline app or a hub without shops
 * show the catalog's own ids, as before.
 */

const CARD_STYLE: CSSProperties = {
  border: '1px solid var(--mantine-color-default-border)',
  borderRadius: 'var(--mantine-radius-sm)',
  background: 'var(--mantine-color-body)',
  padding: '6px 8px',
  minWidth: 240,
};

const NUMBER_CELL: CSSProperties = {
  whiteSpace: 'nowrap',
  fontVariantNumeric: 'tabular-nums',
};

const THUMB_STYLE: CSSProperties = {
  width: 28,
  height: 28,
  objectFit: 'cover',
  borderRadius: 4,
  display: 'block',
  background: 'var(--mantine-color-default-hover)',
};

// The rows of a long conversation mount and unmount as it scrolls: ask once per cart.
interface Resolved {
  readonly products: ReadonlyMap<string, CatalogProduct>;
  /** Shops that knew some of the products and can make a draft order of the cart. */
  readonly drafts: readonly { readonly id: string; readonly name: string }[];
}
const NOTHING: Resolved = { products: new Map(), drafts: [] };
const resolved = new Map<string, Promise<Resolved>>();

function productsOf(
  layer: DataLayer,
  conversationId: string,
  ids: readonly string[],
): Promise<Resolved> {
  const key = `${conversationId}|${ids.join(',')}`;
  let pending = resolved.get(key);
  if (!pending) {
    pending = layer
      .request(
        'GET',
        `/api/orders/products?conversation=${encodeURIComponent(conversationId)}&ids=${ids
          .map(encodeURIComponent)
          .join(',')}`,
        catalogProductsSchema,
      )
      .then(({ products, sources }) => ({
        products: new Map(products.map((p) => [p.retailerId, p])),
        drafts: sources.filter((source) => source.drafts),
      }));
    // A failure (offline, an older hub) is asked again the next time the cart mounts.
    pending.catch(() => resolved.delete(key));
    resolved.set(key, pending);
  }
  return pending;
}

function useCatalogProducts(conversationId: string | null, ids: readonly string[]): Resolved {
  const layer = useOptionalData();
  const [products, setProducts] = useState<Resolved>(NOTHING);
  const key = ids.join(',');
  useEffect(() => {
    if (!layer || !conversationId || key === '') return undefined;
    let live = true;
    productsOf(layer, conversationId, key.split(',')).then(
      (found) => {
        if (live) setProducts(found);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [layer, conversationId, key]);
  return products;
}

function Thumb({ url }: { readonly url: string | null }) {
  const src = useShopImage(url);
  if (!src) return <div style={THUMB_STYLE} aria-hidden />;
  return <img src={src} alt="" style={THUMB_STYLE} data-testid="order-cart-picture" />;
}

type DraftState =
  | { readonly step: 'idle' }
  | { readonly step: 'busy' }
  | { readonly step: 'done'; readonly draft: DraftOrderAnswer['draft'] }
  | { readonly step: 'failed'; readonly message: string };

/** "Create draft order": the cart as a draft order in the shop, for the agent to finish there. */
function DraftOrderAction({
  conversationId,
  shop,
  content,
}: {
  readonly conversationId: string;
  readonly shop: { readonly id: string; readonly name: string };
  readonly content: OrderContent;
}) {
  const layer = useOptionalData();
  const [state, setState] = useState<DraftState>({ step: 'idle' });
  const create = (): void => {
    if (!layer) return;
    setState({ step: 'busy' });
    layer
      .request('POST', '/api/orders/drafts', draftOrderAnswerSchema, {
        conversation: conversationId,
        source: shop.id,
        lines: content.items
          .filter((item) => item.quantity > 0)
          .map((item) => ({ retailerId: item.productRetailerId, quantity: item.quantity })),
      })
      .then(
        ({ draft }) => setState({ step: 'done', draft }),
        (error: unknown) =>
          setState({
            step: 'failed',
            message: error instanceof Error ? error.message : 'The draft order failed.',
          }),
      );
  };
  if (state.step === 'done') {
    const admin = safeHttpUrl(state.draft.adminUrl);
    return (
      <Group gap={6} mt={6} data-testid="draft-order-created">
        <IconCheck size={14} color="var(--mantine-color-teal-6)" />
        <Text size="xs">Draft order {state.draft.name} created</Text>
        {admin ? (
          <Anchor href={admin} target="_blank" rel="noopener noreferrer" size="xs">
            Open in {shop.name}
          </Anchor>
        ) : null}
      </Group>
    );
  }
  return (
    <Group gap={6} mt={6} wrap="nowrap">
      <Button
        size="compact-xs"
        variant="light"
        leftSection={<IconFilePlus size={13} />}
        loading={state.step === 'busy'}
        onClick={create}
      >
        Create draft order in {shop.name}
      </Button>
      {state.step === 'failed' ? (
        <Text size="xs" c="red" role="alert">
          {state.message}
        </Text>
      ) : null}
    </Group>
  );
}

export function CatalogCart({
  content,
  conversationId,
}: {
  readonly content: OrderContent;
  readonly conversationId: string | null;
}) {
  const { products, drafts } = useCatalogProducts(
    conversationId,
    content.items.map((item) => item.productRetailerId),
  );
  const totals = orderTotals(content.items);
  const count = totals.reduce((sum, total) => sum + total.quantity, 0);
  const pictures = content.items.some((item) => products.get(item.productRetailerId));
  return (
    <Box style={CARD_STYLE} data-testid="order-cart">
      <Group gap={6} mb={4}>
        <IconShoppingCart size={16} stroke={1.7} />
        <Text size="sm" fw={600}>
          Order · {count} {count === 1 ? 'item' : 'items'}
        </Text>
      </Group>
      <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 12 }}>
        <tbody>
          {content.items.map((item, index) => {
            const product = products.get(item.productRetailerId);
            return (
              <tr key={index} data-testid="order-cart-item">
                {pictures ? (
                  <td style={{ padding: '2px 6px 2px 0', width: 28 }}>
                    <Thumb url={product?.imageUrl ?? null} />
                  </td>
                ) : null}
                <td style={{ padding: '1px 8px 1px 0', overflowWrap: 'anywhere' }}>
                  {product ? (
                    <>
                      <span data-testid="order-cart-title">
                        {product.title}
                        {product.variant ? ` · ${product.variant}` : ''}
                      </span>
                      <Text component="span" size="xs" c="dimmed" display="block">
                        {item.productRetailerId}
                      </Text>
                    </>
                  ) : (
                    item.productRetailerId
                  )}
                </td>
                <td
                  style={{
                    ...NUMBER_CELL,
                    padding: '1px 8px',
                    color: 'var(--mantine-color-dimmed)',
                  }}
                >
                  {item.quantity} × {formatPrice(item.itemPrice, item.currency)}
                </td>
                <td style={{ ...NUMBER_CELL, padding: '1px 0', textAlign: 'right' }}>
                  {formatPrice(item.quantity * item.itemPrice, item.currency)}
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          {totals.map((total) => (
            <tr
              key={total.currency}
              style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
            >
              <td colSpan={pictures ? 3 : 2} style={{ paddingTop: 3, fontWeight: 600 }}>
                Total{totals.length > 1 ? ` (${total.currency})` : ''}
              </td>
              <td style={{ ...NUMBER_CELL, paddingTop: 3, textAlign: 'right', fontWeight: 600 }}>
                {formatPrice(total.amount, total.currency)}
              </td>
            </tr>
          ))}
        </tfoot>
      </table>
      {content.note ? (
        <Text size="xs" c="dimmed" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
          Note: {content.note}
        </Text>
      ) : null}
      {conversationId && drafts[0] ? (
        <DraftOrderAction conversationId={conversationId} shop={drafts[0]} content={content} />
      ) : null}
    </Box>
  );
}

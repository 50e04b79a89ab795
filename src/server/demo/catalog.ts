/**
 * The demo shop: its product catalog (what WhatsApp catalog orders reference), its prices per
 * currency and the carriers it ships with. Data only; the simulator draws from it.
 */

export const DEMO_CATALOG_ID = 'demo-catalog';

export type DemoCurrency = 'EUR' | 'GBP' | 'USD';

export interface CatalogProduct {
  /** The catalog's product id (WhatsApp `product_retailer_id`), also the SKU on orders. */
  readonly retailerId: string;
  readonly title: string;
  /** Unit price per currency the shop sells in (set by hand, like a real shop's price list). */
  readonly prices: Readonly<Record<DemoCurrency, number>>;
  /** Comes in sizes (clothes, shoes): "too small, can I exchange it?" makes sense. */
  readonly sized: boolean;
}

const product = (
  retailerId: string,
  title: string,
  eur: number,
  gbp: number,
  usd: number,
  sized = false,
): CatalogProduct => ({ retailerId, title, prices: { EUR: eur, GBP: gbp, USD: usd }, sized });

export const DEMO_CATALOG: readonly CatalogProduct[] = [
  product('RD-TEE-001', 'Organic cotton T-shirt', 24.95, 21.95, 27.0, true),
  product('RD-SWT-002', 'Merino crew-neck sweater', 89.0, 79.0, 98.0, true),
  product('RD-JKT-003', 'Packable rain jacket', 129.0, 115.0, 140.0, true),
  product('RD-SNK-004', 'Canvas sneakers', 69.95, 59.95, 75.0, true),
  product('RD-RUN-005', 'Trail running shoes', 119.0, 105.0, 130.0, true),
  product('RD-BAG-006', 'Waxed canvas weekender', 149.0, 129.0, 160.0),
  product('RD-BPK-007', 'Commuter backpack 22 L', 99.0, 89.0, 110.0),
  product('RD-WAL-008', 'Leather card wallet', 39.0, 35.0, 42.0),
  product('RD-BTL-009', 'Insulated bottle 750 ml', 29.95, 25.95, 32.0),
  product('RD-MUG-010', 'Stoneware mug set of 4', 34.5, 29.95, 38.0),
  product('RD-POC-011', 'Ceramic pour-over coffee set', 44.0, 39.0, 48.0),
  product('RD-DUV-012', 'Linen duvet cover, double', 119.0, 105.0, 130.0),
  product('RD-TOW-013', 'Waffle bath towel set', 49.95, 44.95, 55.0),
  product('RD-CAN-014', 'Soy candle, fig & cedar', 22.0, 19.0, 24.0),
  product('RD-LMP-015', 'Brass desk lamp', 139.0, 125.0, 150.0),
  product('RD-EAR-016', 'Wireless earbuds', 79.0, 69.0, 85.0),
  product('RD-CHG-017', 'USB-C fast charger 65 W', 35.0, 29.95, 38.0),
  product('RD-SPK-018', 'Portable speaker', 59.0, 52.0, 65.0),
  product('RD-YGA-019', 'Cork yoga mat', 64.0, 56.0, 70.0),
  product('RD-SUN-020', 'Polarised sunglasses', 74.0, 65.0, 80.0),
  product('RD-SCF-021', 'Lambswool scarf', 45.0, 39.0, 49.0),
  product('RD-UMB-022', 'Compact umbrella', 27.5, 23.95, 30.0),
  product('RD-KNF-023', "Chef's knife 20 cm", 84.0, 75.0, 92.0),
  product('RD-PAN-024', 'Cast-iron skillet 26 cm', 54.95, 47.95, 60.0),
];

export function findProduct(retailerId: string): CatalogProduct | undefined {
  return DEMO_CATALOG.find((item) => item.retailerId === retailerId);
}

export type CarrierName = 'PostNL' | 'DHL' | 'UPS' | 'DPD' | 'Colissimo' | 'BRT';

export interface Carrier {
  readonly name: CarrierName;
  /** Tracking-number pattern: `#` a digit, `A` a capital letter, anything else literal. */
  readonly trackingPattern: string;
  readonly trackingUrl: (trackingNumber: string) => string;
}

export const CARRIERS: Readonly<Record<CarrierName, Carrier>> = {
  PostNL: {
    name: 'PostNL',
    trackingPattern: '3SAAAA#########',
    trackingUrl: (code) => `https://jouw.postnl.nl/track-and-trace/${encodeURIComponent(code)}`,
  },
  DHL: {
    name: 'DHL',
    trackingPattern: 'JJD00#############',
    trackingUrl: (code) =>
      `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${encodeURIComponent(code)}`,
  },
  UPS: {
    name: 'UPS',
    trackingPattern: '1ZA##A##########',
    trackingUrl: (code) => `https://www.ups.com/track?tracknum=${encodeURIComponent(code)}`,
  },
  DPD: {
    name: 'DPD',
    trackingPattern: '0##############',
    trackingUrl: (code) =>
      `https://tracking.dpd.de/status/en_US/parcel/${encodeURIComponent(code)}`,
  },
  Colissimo: {
    name: 'Colissimo',
    trackingPattern: '6A###########',
    trackingUrl: (code) =>
      `https://www.laposte.fr/outils/suivre-vos-envois?code=${encodeURIComponent(code)}`,
  },
  BRT: {
    name: 'BRT',
    trackingPattern: '############',
    trackingUrl: (code) =>
      `https://vas.brt.it/vas/sped_det_show.hsm?Nspediz=${encodeURIComponent(code)}`,
  },
};

import { readFileSync } from 'node:fs';
import { CHANNEL_KINDS, HOUR_MS } from '../../src/shared/domain/channels';
import { parseRateCard, priceNextMessage } from '../../src/shared/pricing';
import { computeReplyWindow, type ConversationWindowFacts } from '../../src/shared/reply-window';
import { renderTemplate } from '../../src/shared/templates';
import { measure, report } from './measure';

/**
 * The shared domain functions run for every visible conversation on every clock tick, and on
 * the hub for every outgoing message. Each figure is printed beside a baseline measured in the
 * same run: the same loop doing only the bare arithmetic or string work.
 */
const CONVERSATIONS = 20_000;
const now = Date.parse('2026-11-21T12:00:00Z');

let seed = 42;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const conversations = Array.from({ length: CONVERSATIONS }, (_, i) => {
  const channel = CHANNEL_KINDS[i % CHANNEL_KINDS.length] ?? 'whatsapp';
  const facts: ConversationWindowFacts = {
    lastInboundAt: now - Math.floor(random() * 60 * HOUR_MS),
    entryPoint: random() < 0.1 ? 'ad_referral' : 'organic',
    sentSinceInbound: Math.floor(random() * 6),
  };
  return { channel, facts };
});

const windows = measure(
  `computeReplyWindow × ${CONVERSATIONS.toLocaleString('en-US')}`,
  CONVERSATIONS,
  () => {
    let open = 0;
    for (const { channel, facts } of conversations) {
      if (computeReplyWindow(channel, facts, now).state === 'open') open++;
    }
    return open;
  },
);
const windowsBaseline = measure('baseline: lastInbound + 24 h − now', CONVERSATIONS, () => {
  let open = 0;
  for (const { facts } of conversations) {
    const remaining = (facts.lastInboundAt ?? 0) + 24 * HOUR_MS - now;
    if (remaining > HOUR_MS) open++;
  }
  return open;
});
report('Reply windows for a 20,000-conversation inbox (one clock tick)', windows, windowsBaseline);

const card = parseRateCard(
  JSON.parse(readFileSync('resources/pricing/rate-card.example.json', 'utf8')),
);
const sample = conversations
  .slice(0, 5_000)
  .map(({ channel, facts }) => computeReplyWindow(channel, facts, now));
const prices = measure('priceNextMessage (utility template) × 5,000', sample.length, () => {
  let total = 0;
  for (const window of sample) {
    total += priceNextMessage(
      { window, kind: { type: 'template', category: 'utility' }, recipientCountry: 'NL', at: now },
      card,
    ).amount;
  }
  return total;
});
const flat = { NL: 0.05 } as Record<string, number>;
const pricesBaseline = measure('baseline: one rate lookup per message', sample.length, () => {
  let total = 0;
  for (const window of sample) total += window.state === 'closed' ? (flat['NL'] ?? 0) : 0;
  return total;
});
report('Pricing the next message', prices, pricesBaseline);

const template =
  'Hi {{customer.first_name|there}}, your order {{order.number}} is {{order.status}}. ' +
  'Track it with {{order.carrier}} at {{order.tracking_url}}. — {{agent.first_name}}';
const context = {
  customer: { first_name: 'Anna' },
  order: {
    number: '#1001',
    status: 'shipped',
    carrier: 'PostNL',
    tracking_url: 'https://t.example/3S',
  },
  agent: { first_name: 'Sam' },
};
const RENDERS = 10_000;
const renders = measure(`renderTemplate × ${RENDERS.toLocaleString('en-US')}`, RENDERS, () => {
  let length = 0;
  for (let i = 0; i < RENDERS; i++) length += renderTemplate(template, context).text.length;
  return length;
});
const values: Record<string, string> = {
  'customer.first_name': 'Anna',
  'order.number': '#1001',
  'order.status': 'shipped',
  'order.carrier': 'PostNL',
  'order.tracking_url': 'https://t.example/3S',
  'agent.first_name': 'Sam',
};
const rendersBaseline = measure('baseline: one regex String.replace', RENDERS, () => {
  let length = 0;
  for (let i = 0; i < RENDERS; i++) {
    length += template.replace(
      /\{\{([\w.]+)(?:\|[^}]*)?\}\}/g,
      (_, name: string) => values[name] ?? '',
    ).length;
  }
  return length;
});
report('Rendering a quick reply with order variables', renders, rendersBaseline);
console.log(
  `\n(one clock tick budget at 60 fps: ${(1000 / 60).toFixed(1)} ms; window math for ${CONVERSATIONS} rows takes ${windows.medianMs.toFixed(1)} ms)`,
);

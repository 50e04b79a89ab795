/**
 * Every state of the composer on one page, light or dark (`?scheme=dark`), for looking at it and
 * taking screenshots without a hub:
 *
 *   npx vite --config test/renderer/composer/harness/vite.config.mts
 *
 * Sends are logged to the console; the "open-empty" composer's sends fail, to show the error.
 */
import '@mantine/core/styles.css';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider, Paper, Stack, Text } from '@mantine/core';
import exampleJson from '../../../../resources/pricing/rate-card.example.json';
import { theme } from '../../../../src/renderer/src/app/theme';
import { buildTemplateContext, Composer } from '../../../../src/renderer/src/features/composer';
import { orderSchema, type Order, type Template } from '../../../../src/shared/domain/model';
import { parseRateCard } from '../../../../src/shared/pricing';
import type { ReplyWindow } from '../../../../src/shared/reply-window/types';
import { conversation, HOUR, NOW, template, whatsappWindow } from '../fixtures';

const card = parseRateCard(exampleJson);
const scheme = new URLSearchParams(location.search).get('scheme') === 'dark' ? 'dark' : 'light';

const templates: Template[] = [
  template({
    id: 'q1',
    name: 'Order status',
    shortcut: 'status',
    body: 'Hi {{customer.first_name|there}}, your order {{order.number}} is {{order.status}}. You can follow it with {{order.carrier}}: {{order.tracking_url}}',
  }),
  template({
    id: 'q2',
    name: 'Return instructions',
    shortcut: 'return',
    body: 'Sorry to hear that, {{customer.first_name|there}}. You can return order {{order.number}} within 30 days.',
  }),
  template({
    id: 'q3',
    name: 'Greeting',
    shortcut: 'hi',
    body: 'Hi {{customer.first_name|there}}, this is {{agent.first_name}} from customer service. How can I help?',
  }),
  template({
    id: 'q4',
    name: 'Shipping delay',
    shortcut: 'delay',
    body: 'We are sorry: carriers are running late this week.',
  }),
  template({
    id: 'w1',
    kind: 'whatsapp',
    name: 'order_update',
    category: 'utility',
    channels: ['whatsapp'],
    body: 'Hello {{1}}, there is an update on your order {{2}}: it is now {{3}}. Reply to this message if you have any questions.',
  }),
  template({
    id: 'w2',
    kind: 'whatsapp',
    name: 'follow_up',
    category: 'utility',
    channels: ['whatsapp'],
    body: 'Hello {{1}}, we are following up on your question. Reply to this message to continue the conversation with our team.',
  }),
  template({
    id: 'w3',
    kind: 'whatsapp',
    name: 'spring_sale',
    category: 'marketing',
    channels: ['whatsapp'],
    body: 'Hi {{1}}! Our spring sale starts today: {{2}} off everything until Sunday.',
  }),
];

const order: Order = orderSchema.parse({
  id: 'o1',
  provider: 'demo',
  number: '100482',
  status: 'shipped',
  customerName: 'Ana Lima',
  email: null,
  phone: null,
  items: [{ title: 'Linen shirt (M)', quantity: 2, sku: null, price: 20 }],
  total: 49.9,
  currency: 'EUR',
  carrier: 'UPS',
  trackingNumber: '1Z999',
  trackingUrl: 'https://track.example.com/1Z999',
  createdAt: NOW,
});
const me = { id: 'u1', name: 'Sam Carter', role: 'agent' as const, email: 'sam@northwind.example' };

function Scenario({
  title,
  window,
  draft = '',
  withOrder = false,
  fail = false,
  channel = 'whatsapp' as const,
  sendKey = 'enter' as const,
}: {
  title: string;
  window: ReplyWindow;
  draft?: string;
  withOrder?: boolean;
  fail?: boolean;
  channel?: 'whatsapp' | 'messenger' | 'wechat';
  sendKey?: 'enter' | 'mod-enter';
}) {
  const [text, setText] = useState(draft);
  const [picked, setPicked] = useState(withOrder);
  const conv = conversation({ channel });
  const context = buildTemplateContext({
    conversation: conv,
    order: picked ? order : null,
    me,
    businessName: 'Northwind',
  });
  return (
    <Paper withBorder radius="md" w={760} data-scenario={title}>
      <Text size="xs" c="dimmed" px="md" pt="xs">
        {title}{' '}
        <button type="button" onClick={() => setPicked((p) => !p)} data-testid="toggle-order">
          {picked ? 'unpick order' : 'pick order'}
        </button>
      </Text>
      <Composer
        conversation={conv}
        window={window}
        templates={templates}
        context={context}
        draft={text}
        onDraftChange={setText}
        sendKey={sendKey}
        rateCard={card}
        now={NOW}
        onSend={async (content, options) => {
          console.log('send', JSON.stringify({ content, options }));
          if (fail) throw new Error('The hub refused the message: window_closed');
        }}
      />
    </Paper>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <MantineProvider theme={theme} forceColorScheme={scheme}>
    <Stack p="md" gap="md" bg="var(--mantine-color-body)" style={{ minHeight: '100vh' }}>
      <Scenario
        title="open"
        window={whatsappWindow('open')}
        draft="Hi Ana, your order {{order.number}} is {{order.status}}. "
      />
      <Scenario title="open-empty" window={whatsappWindow('open')} fail sendKey="mod-enter" />
      <Scenario title="closed" window={whatsappWindow('closed')} withOrder draft="unsent draft" />
      <Scenario
        title="tag"
        channel="messenger"
        window={whatsappWindow('closed', {
          channel: 'messenger',
          allowed: { kind: 'tag_only', tag: 'HUMAN_AGENT', until: NOW + 5 * 24 * HOUR },
        })}
      />
      <Scenario
        title="none"
        channel="wechat"
        window={whatsappWindow('closed', {
          channel: 'wechat',
          allowed: {
            kind: 'none',
            reason: 'WeChat allows no message more than 48 hours after the customer last wrote',
          },
        })}
      />
    </Stack>
  </MantineProvider>,
);

import type { TemplateInputDraft } from '../shared/protocol/templates';

/**
 * Starter templates for a new workspace (embedded and demo): a few quick replies with order
 * variables, and approved WhatsApp templates for closed windows. Admins edit or delete them.
 */
export const STARTER_TEMPLATES: readonly TemplateInputDraft[] = [
  {
    kind: 'quick_reply',
    name: 'Order status',
    shortcut: 'status',
    body:
      'Hi {{customer.first_name|there}}, your order {{order.number}} is {{order.status}}. ' +
      'You can follow it with {{order.carrier}}: {{order.tracking_url}}',
    language: 'en',
    category: null,
    channels: ['whatsapp', 'messenger', 'instagram', 'telegram', 'wechat', 'viber', 'kakao'],
    status: 'approved',
  },
  {
    kind: 'quick_reply',
    name: 'Return instructions',
    shortcut: 'return',
    body:
      'Sorry to hear that, {{customer.first_name|there}}. You can return order {{order.number}} ' +
      'within 30 days: reply with the items you want to send back and we will e-mail a free label.',
    language: 'en',
    category: null,
    channels: ['whatsapp', 'messenger', 'instagram', 'telegram', 'wechat', 'viber', 'kakao'],
    status: 'approved',
  },
  {
    kind: 'quick_reply',
    name: 'Greeting',
    shortcut: 'hi',
    body: 'Hi {{customer.first_name|there}}, this is {{agent.first_name}} from customer service. How can I help?',
    language: 'en',
    category: null,
    channels: ['whatsapp', 'messenger', 'instagram', 'telegram', 'wechat', 'viber', 'kakao'],
    status: 'approved',
  },
  {
    kind: 'whatsapp',
    name: 'order_update',
    shortcut: null,
    body: 'Hello {{1}}, there is an update on your order {{2}}: it is now {{3}}. Reply to this message if you have any questions.',
    language: 'en',
    category: 'utility',
    channels: ['whatsapp'],
    status: 'approved',
  },
  {
    kind: 'whatsapp',
    name: 'follow_up',
    shortcut: null,
    body: 'Hello {{1}}, we are following up on your question. Reply to this message to continue the conversation with our team.',
    language: 'en',
    category: 'utility',
    channels: ['whatsapp'],
    status: 'approved',
  },
];

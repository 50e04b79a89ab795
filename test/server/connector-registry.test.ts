import { describe, expect, it } from 'vitest';
import { isConfigured, settingsFromEnv } from '../../src/server/channels/connector';
import { CONNECTORS, connectorFor } from '../../src/server/channels/registry';
import { signWebhookBody } from '../../src/server/channels/meta/signature';

const whatsapp = connectorFor('whatsapp');

describe('the connector registry', () => {
  it('lists each channel once, and finds a connector by channel', () => {
    expect(CONNECTORS.map((c) => c.channel)).toEqual([
      'whatsapp',
      'messenger',
      'instagram',
      'telegram',
      'line',
      'viber',
      'wechat',
      'kakao',
      'sms',
    ]);
    expect(whatsapp?.provider).toBe('whatsapp_cloud');
    expect(connectorFor('line')?.provider).toBe('line_messaging_api');
    expect(connectorFor('sms')?.provider).toBe('sms');
  });

  it('reads a connector’s settings from its env variables, with defaults, and names a half-set channel', () => {
    if (!whatsapp) throw new Error('no WhatsApp connector');
    const full = settingsFromEnv(whatsapp, {
      WHATSAPP_APP_SECRET: 's',
      WHATSAPP_VERIFY_TOKEN: 'v',
      WHATSAPP_ACCESS_TOKEN: 't',
      WHATSAPP_PHONE_NUMBER_ID: '1',
    });
    expect(full).toEqual({
      settings: {
        appSecret: 's',
        verifyToken: 'v',
        accessToken: 't',
        phoneNumberId: '1',
        graphUrl: 'https://graph.facebook.com',
        apiVersion: 'v23.0',
      },
      problem: null,
    });
    expect(isConfigured(whatsapp, full.settings)).toBe(true);
    const half = settingsFromEnv(whatsapp, { WHATSAPP_APP_SECRET: 's' });
    expect(half.problem).toBe(
      'WhatsApp Cloud API needs all of WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, WHATSAPP_ACCESS_TOKEN; missing WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_VERIFY_TOKEN, WHATSAPP_ACCESS_TOKEN.',
    );
    expect(isConfigured(whatsapp, half.settings)).toBe(false);
  });

  it('verifies on the raw bytes and answers the handshake through the connector', () => {
    if (!whatsapp) throw new Error('no WhatsApp connector');
    const settings = { appSecret: 'secret', verifyToken: 'token' };
    const raw = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    const url = new URL('http://hub.invalid/webhooks/whatsapp');
    const signed = { 'x-hub-signature-256': signWebhookBody(raw, 'secret') };
    expect(whatsapp.verify({ headers: signed, raw, url }, settings)).toEqual({ ok: true });
    expect(whatsapp.verify({ headers: {}, raw, url }, settings)).toMatchObject({ ok: false });
    const hello = new URL(
      'http://hub.invalid/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=token&hub.challenge=42',
    );
    expect(whatsapp.handshake?.(hello, settings)).toEqual({ ok: true, body: '42' });
  });
});

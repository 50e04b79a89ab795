import { signWebhookBody } from '../../src/server/channels/meta/signature';

/**
 * Messenger and Instagram webhook bodies shaped like Meta's webhook-events reference
 * (CHANNEL-API.md §1.2–1.3, §2.2), written out here rather than built by the code under test, and
 * signed as Meta signs them (`X-Hub-Signature-256` over the exact bytes).
 */

export const MESSENGER = {
  pageId: '104512345678901',
  pageAccessToken: 'test-page-token-messenger',
  appSecret: 'test-messenger-app-secret',
  verifyToken: 'test-messenger-verify',
  appId: '1517776481860111',
};
export const INSTAGRAM = {
  /** The Facebook Page linked to the Instagram account (sends go through it). */
  pageId: '104599999999999',
  /** The Instagram professional account: `entry[].id` and `recipient.id` of its webhooks. */
  accountId: '17841400000000001',
  pageAccessToken: 'test-page-token-instagram',
  appSecret: 'test-instagram-app-secret',
  verifyToken: 'test-instagram-verify',
  appId: '1517776481860222',
};

/** Settings as a hub is given them (env-only ones included: no defaults are added then). */
export function metaSettings(
  account: typeof MESSENGER | typeof INSTAGRAM,
  graphUrl: string,
  humanAgent: 'yes' | 'no',
): Record<string, string> {
  return {
    pageId: account.pageId,
    pageAccessToken: account.pageAccessToken,
    appSecret: account.appSecret,
    verifyToken: account.verifyToken,
    appId: account.appId,
    humanAgent,
    graphUrl,
    apiVersion: 'v23.0',
  };
}

/** `{"object","entry":[{"id","time","messaging":[…events]}]}`. */
export function metaWebhook(
  object: 'page' | 'instagram',
  entryId: string,
  events: readonly object[],
): object {
  return { object, entry: [{ id: entryId, time: 1_764_763_200_000, messaging: events }] };
}

/** The bytes and headers Meta would POST for `body`. */
export function signedMeta(
  body: unknown,
  appSecret: string,
): { body: string; headers: Record<string, string> } {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(raw, appSecret),
    },
  };
}

/** POST a signed Messenger (Page) or Instagram webhook to a hub, as Meta does; its status. */
export async function postMetaWebhook(
  hubUrl: string,
  channel: 'messenger' | 'instagram',
  events: readonly object[],
): Promise<number> {
  const body =
    channel === 'messenger'
      ? metaWebhook('page', MESSENGER.pageId, events)
      : metaWebhook('instagram', INSTAGRAM.accountId, events);
  const signed = signedMeta(
    body,
    channel === 'messenger' ? MESSENGER.appSecret : INSTAGRAM.appSecret,
  );
  const res = await fetch(`${hubUrl}/webhooks/${channel}`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  await res.arrayBuffer();
  return res.status;
}

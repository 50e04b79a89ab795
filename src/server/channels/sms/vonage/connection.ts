import { z } from 'zod';
import { settingOf, type ChannelSettings, type WebhookRegistration } from '../../connector';
import { readForTest, testRefusal } from '../connection';
import type { SmsSendOptions } from '../provider';
import { smsAccountId, smsScrubber, vonageApiBase } from '../settings';
import { vonageApplicationJwt, vonagePrivateKey, vonageSaid } from './sender';

/**
 * "Test connection" for Vonage: `GET {base}/v3/media?page_size=1` with the application JWT a send
 * uses. The Media API (the one inbound MMS files live on) takes the application JWT and only
 * reads (developer.vonage.com/en/api/media, "List and search media items"); the Account and
 * Application APIs would need the account's API key and secret, which the hub does not hold. The
 * answer's `_links.self.href` names the account (`account_id`, the API key: not a secret).
 */

const listSchema = z
  .object({
    _links: z
      .object({ self: z.object({ href: z.string().max(2000) }).partial() })
      .partial()
      .optional(),
  })
  .passthrough();

function accountOf(text: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const href = listSchema.safeParse(json).data?._links?.self?.href;
  if (!href) return null;
  const account = new URL(href, 'https://api.nexmo.com').searchParams.get('account_id');
  return account && /^[A-Za-z0-9]{1,40}$/.test(account) ? account : null;
}

export async function testVonageConnection(
  settings: ChannelSettings,
  options: SmsSendOptions,
): Promise<WebhookRegistration> {
  const scrub = smsScrubber(settings, 500);
  const applicationId = settingOf(settings, 'vonageApplicationId');
  const key = vonagePrivateKey(settingOf(settings, 'vonagePrivateKey'));
  if (key === null)
    return testRefusal(
      'The Vonage private key is not a readable RSA private key (PEM): paste the key file the application gave.',
    );
  const jwt = await vonageApplicationJwt(applicationId, key, options.now());
  const read = await readForTest(
    `${vonageApiBase(settings)}/v3/media?page_size=1`,
    `Bearer ${jwt}`,
    'the Vonage API',
    options,
    scrub,
  );
  if ('ok' in read) return read;
  if (read.status < 200 || read.status >= 300) {
    const said = vonageSaid(read.text);
    return testRefusal(
      `Vonage refused application ${applicationId} and its private key (HTTP ${read.status}${said ? `: ${scrub(said)}` : ''}).`,
    );
  }
  const account = accountOf(read.text);
  return {
    ok: true,
    detail: `Vonage accepts application ${applicationId} and its private key${account ? ` (account ${account})` : ''}; ${smsAccountId(settings)} sends through it.`,
  };
}

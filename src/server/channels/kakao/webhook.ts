import type {
  ChannelSettings,
  ParsedDelivery,
  Refusal,
  WebhookAnswer,
  WebhookDelivery,
  WebhookTools,
} from '../connector';
import { settingOf } from '../connector';
import { dealerOf } from './dealers';
import { hasHeader, secretMatches } from './secret';
import { kakaoSetting } from './settings';
import { answerSkill, isSkillPayload, parseSkillPayload, skillPayloadSchema } from './skill';

/**
 * `/webhooks/kakao` takes two kinds of delivery, told apart by their shape: the Open Builder
 * skill's SkillPayload (`userRequest`, `bot`, `action`) and the consultation-talk dealer's
 * webhook (anything else). Each must carry its own shared secret in its own header, so a dealer
 * cannot speak as the skill nor the skill as the dealer.
 */

function shapeOf(raw: Buffer): 'skill' | 'dealer' {
  try {
    return isSkillPayload(JSON.parse(raw.toString('utf8'))) ? 'skill' : 'dealer';
  } catch {
    return 'dealer'; // not JSON: refused by its secret, or as a bad body by parse
  }
}

export function kakaoVerify(
  delivery: WebhookDelivery,
  settings: ChannelSettings,
): { ok: true } | Refusal {
  const shape = shapeOf(delivery.raw);
  const [headerSetting, secretSetting, what] =
    shape === 'skill'
      ? (['skillSecretHeader', 'skillSecret', 'An Open Builder skill call'] as const)
      : (['webhookSecretHeader', 'webhookSecret', 'A dealer webhook'] as const);
  const header = kakaoSetting(settings, headerSetting);
  const secret = settingOf(settings, secretSetting);
  if (secret === '')
    return {
      ok: false,
      reason: `${what} was refused: no ${shape === 'skill' ? 'skill' : 'dealer webhook'} secret is configured.`,
      message: `This hub takes no ${shape === 'skill' ? 'skill calls' : 'dealer webhooks'} for KakaoTalk.`,
    };
  if (!hasHeader(delivery.headers, header))
    return {
      ok: false,
      reason: `${what} without the ${header} header was refused.`,
      message: `The ${header} header is missing.`,
    };
  if (!secretMatches(delivery.headers, header, secret))
    return {
      ok: false,
      reason: `${what} with a wrong ${header} was refused (forged, or the secret was changed on one side only).`,
      message: `The ${header} header does not match.`,
    };
  return { ok: true };
}

export function parseKakao(body: unknown, settings: ChannelSettings): ParsedDelivery {
  if (isSkillPayload(body)) return parseSkillPayload(body, settings);
  return dealerOf(settings).parseWebhook(body, settings);
}

/** The skill's SkillResponse within Kakao's 5 s; the dealer's webhook gets the hub's counts. */
export async function answerKakao(
  body: unknown,
  _parsed: ParsedDelivery,
  settings: ChannelSettings,
  tools: WebhookTools,
): Promise<WebhookAnswer | null> {
  if (!isSkillPayload(body)) return null;
  const payload = skillPayloadSchema.safeParse(body);
  if (!payload.success) return null; // parse refused it already (400)
  return answerSkill(payload.data, settings, tools);
}

import type { ChannelKind } from '../../shared/domain/channels';
import type { ChannelConnector } from './connector';
import { instagramConnector } from './instagram';
import { kakaoConnector } from './kakao';
import { lineConnector } from './line';
import { messengerConnector } from './messenger';
import { smsConnector } from './sms';
import { telegramConnector } from './telegram';
import { viberConnector } from './viber';
import { wechatConnector } from './wechat';
import { whatsappConnector } from './whatsapp';

/**
 * Every channel connector the hub runs. Adding a channel is adding its folder and one line
 * here (docs/adding-a-channel.md); the HTTP layer mounts `/webhooks/<channel>` for each, the
 * admin Channels API configures each from its declared settings.
 */
export const CONNECTORS: readonly ChannelConnector[] = [
  whatsappConnector,
  messengerConnector,
  instagramConnector,
  telegramConnector,
  lineConnector,
  viberConnector,
  wechatConnector,
  kakaoConnector,
  smsConnector,
];

export function connectorFor(
  channel: ChannelKind,
  connectors: readonly ChannelConnector[] = CONNECTORS,
): ChannelConnector | null {
  return connectors.find((connector) => connector.channel === channel) ?? null;
}

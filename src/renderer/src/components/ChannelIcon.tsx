import type { ComponentType } from 'react';
import {
  IconBrandInstagram,
  IconBrandKakaoTalk,
  IconBrandLine,
  IconBrandMessenger,
  IconBrandTelegram,
  IconBrandViber,
  IconBrandWechat,
  IconBrandWhatsapp,
  IconMessage,
  type IconProps,
} from '@tabler/icons-react';
import { CHANNEL_INFO, type ChannelKind } from '../../../shared/domain/channels';

const ICONS: Record<ChannelKind, ComponentType<IconProps>> = {
  whatsapp: IconBrandWhatsapp,
  messenger: IconBrandMessenger,
  instagram: IconBrandInstagram,
  telegram: IconBrandTelegram,
  wechat: IconBrandWechat,
  viber: IconBrandViber,
  line: IconBrandLine,
  sms: IconMessage,
  kakao: IconBrandKakaoTalk,
};

/** Brand colours, used sparingly (icons only) so the inbox stays calm. */
export const CHANNEL_COLORS: Record<ChannelKind, string> = {
  whatsapp: '#25a244',
  messenger: '#0a7cff',
  instagram: '#d62976',
  telegram: '#229ed9',
  wechat: '#07a35a',
  viber: '#7360f2',
  line: '#06a33d',
  sms: '#6b7280',
  // Kakao's yellow (#FEE500) is 1.3:1 on white: the same hue darkened to 3.3:1 (WCAG 1.4.11).
  kakao: '#a88b00',
};

export function ChannelIcon({ channel, size = 16 }: { channel: ChannelKind; size?: number }) {
  const Icon = ICONS[channel];
  return (
    <Icon
      size={size}
      stroke={1.75}
      color={CHANNEL_COLORS[channel]}
      aria-label={CHANNEL_INFO[channel].label}
      role="img"
    />
  );
}

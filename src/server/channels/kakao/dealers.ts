import type { ChannelSettings } from '../connector';
import type { KakaoDealer } from './dealer';
import { happyTalkDealer } from './happytalk';
import { kakaoSetting } from './settings';

/** Every dealer adapter, by its `dealer` setting. Another dealer is one more line here. */
export const DEALERS: readonly KakaoDealer[] = [happyTalkDealer];

export function dealerOf(settings: ChannelSettings): KakaoDealer {
  const id = kakaoSetting(settings, 'dealer');
  return DEALERS.find((dealer) => dealer.id === id) ?? happyTalkDealer;
}

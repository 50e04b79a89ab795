import type { ChannelKind } from '../../shared/domain/channels';
import { MEDIA_LIMITS } from '../../shared/media/limits';

/** The largest file a channel takes from an agent (its largest sendable kind), 0 for none. */
export function largestUpload(channel: ChannelKind): number {
  const kinds = MEDIA_LIMITS[channel]?.kinds.filter((k) => k.sendable) ?? [];
  return kinds.reduce((max, k) => Math.max(max, k.maxBytes), 0);
}

import { useEffect, useState } from 'react';
import type { ChannelKind } from '../../../../shared/domain/channels';
import { sendQuotaAnswerSchema, type SendQuotaAnswer } from '../../../../shared/protocol/admin';
import { useOptionalData } from '../../data/hooks';

/** Channels whose plan counts pushes against a monthly quota (the hub reads it from them). */
const QUOTA_CHANNELS: ReadonlySet<ChannelKind> = new Set(['line']);

/** How often an open composer asks again (the hub itself asks the platform once a minute). */
const REFRESH_MS = 60_000;

/**
 * The channel's monthly send quota while a composer of it is open and a push is what goes next
 * (`active`): `null` until known, or on channels without one. Failures keep the last figure.
 */
export function useSendQuota(channel: ChannelKind, active: boolean): SendQuotaAnswer['quota'] {
  const layer = useOptionalData();
  const [quota, setQuota] = useState<SendQuotaAnswer['quota']>(null);
  const wanted = active && QUOTA_CHANNELS.has(channel) && layer !== null;
  useEffect(() => {
    if (!wanted || !layer) return;
    let live = true;
    const read = () =>
      layer
        .request('GET', `/api/channels/${channel}/quota`, sendQuotaAnswerSchema)
        .then((answer) => {
          if (live && answer.quota) setQuota(answer.quota);
        })
        .catch(() => undefined);
    void read();
    const timer = setInterval(() => void read(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [wanted, layer, channel]);
  return wanted ? quota : null;
}

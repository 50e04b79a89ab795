import { useLocalStorage } from '@mantine/hooks';
import { HOUR_MS, MINUTE_MS } from '../../../../shared/domain/channels';
import { AT_RISK_THRESHOLDS_MS, DEFAULT_AT_RISK_THRESHOLD_MS } from './now';

/**
 * The lead's at-risk threshold, remembered on this computer for each user (a lead and an admin
 * sharing a machine each keep theirs). Read at the edge: anything but one of the offered
 * thresholds is the default.
 */

export const atRiskThresholdKey = (userId: string): string =>
  `replydesk.dashboard.at-risk-threshold.${userId}`;

export function parseThreshold(raw: string | null | undefined): number {
  const value = Number(raw);
  return AT_RISK_THRESHOLDS_MS.includes(value) ? value : DEFAULT_AT_RISK_THRESHOLD_MS;
}

/** "15 min", "1 h": how a threshold reads in a heading. */
export function formatThreshold(ms: number): string {
  return ms < HOUR_MS ? `${Math.round(ms / MINUTE_MS)} min` : `${Math.round(ms / HOUR_MS)} h`;
}

export function useAtRiskThreshold(userId: string): [number, (ms: number) => void] {
  const [threshold, setThreshold] = useLocalStorage<number>({
    key: atRiskThresholdKey(userId),
    defaultValue: DEFAULT_AT_RISK_THRESHOLD_MS,
    // Read at once: the first render already counts with the lead's threshold.
    getInitialValueInEffect: false,
    serialize: String,
    deserialize: parseThreshold,
  });
  return [threshold, setThreshold];
}

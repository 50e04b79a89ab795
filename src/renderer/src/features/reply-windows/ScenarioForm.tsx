import { Checkbox, Group, NumberInput, Select, Stack, Switch } from '@mantine/core';
import {
  CHANNEL_INFO,
  CHANNEL_KINDS,
  HOUR_MS,
  type ChannelKind,
} from '../../../../shared/domain/channels';
import type { ChannelRule, EntryPoint } from '../../../../shared/reply-window';
import type { Scenario } from './scenario';

const ENTRY_POINT_LABELS: Record<EntryPoint, string> = {
  organic: 'Customer wrote first',
  ad_referral: 'Click-to-chat ad or Page button',
  menu_click: 'Menu click',
  follow: 'Follow',
  qr_scan: 'QR code scan',
};

export interface ScenarioFormProps {
  readonly scenario: Scenario;
  readonly rule: ChannelRule;
  readonly countries: readonly string[];
  readonly now: number;
  readonly onChange: (next: Scenario) => void;
}

/** The facts of a what-if conversation. Only the facts the channel's rules use are shown. */
export function ScenarioForm({ scenario, rule, countries, now, onChange }: ScenarioFormProps) {
  const set = (patch: Partial<Scenario>): void => onChange({ ...scenario, ...patch });
  const extensions = rule.kind === 'windowed' ? rule.extensions : [];
  const entryPoints: EntryPoint[] = [
    'organic',
    ...extensions.flatMap((extension) => ('entryPoints' in extension ? extension.entryPoints : [])),
  ];
  const freeAfterReply = extensions.some((extension) => extension.kind === 'free_after_reply');
  const countsMessages = rule.kind === 'windowed' && rule.window.messageLimit !== null;
  const hasPayment = extensions.some((extension) => extension.kind === 'after_payment');
  const hoursAgo =
    scenario.lastInboundAt === null
      ? ''
      : Math.round(((now - scenario.lastInboundAt) / HOUR_MS) * 10) / 10;

  return (
    <Stack gap="sm">
      <Select
        label="Channel"
        data={CHANNEL_KINDS.map((kind) => ({ value: kind, label: CHANNEL_INFO[kind].label }))}
        value={scenario.channel}
        allowDeselect={false}
        onChange={(value) =>
          value &&
          set({ channel: value as ChannelKind, entryPoint: 'organic', repliedAfterEntryAt: null })
        }
      />
      <Group grow align="flex-end">
        <NumberInput
          label="Customer last wrote"
          aria-label="Customer last wrote (hours ago)"
          suffix=" h ago"
          min={0}
          max={24 * 60}
          step={0.5}
          decimalScale={1}
          value={hoursAgo}
          disabled={scenario.lastInboundAt === null}
          onChange={(value) => {
            const hours = typeof value === 'number' ? value : Number.parseFloat(value);
            if (Number.isFinite(hours) && hours >= 0) set({ lastInboundAt: now - hours * HOUR_MS });
          }}
        />
        <Checkbox
          label="Customer never wrote"
          checked={scenario.lastInboundAt === null}
          onChange={(event) =>
            set({ lastInboundAt: event.currentTarget.checked ? null : now - 2 * HOUR_MS })
          }
          mb={8}
        />
      </Group>
      {entryPoints.length > 1 && (
        <Select
          label="Conversation started from"
          data={[...new Set(entryPoints)].map((value) => ({
            value,
            label: ENTRY_POINT_LABELS[value],
          }))}
          value={scenario.entryPoint}
          allowDeselect={false}
          onChange={(value) =>
            value && set({ entryPoint: value as EntryPoint, repliedAfterEntryAt: null })
          }
        />
      )}
      {freeAfterReply && scenario.entryPoint === 'ad_referral' && (
        <Switch
          label="An agent has already replied (starts the 72 h free window)"
          checked={scenario.repliedAfterEntryAt !== null}
          onChange={(event) =>
            set({ repliedAfterEntryAt: event.currentTarget.checked ? now : null })
          }
        />
      )}
      {countsMessages && (
        <NumberInput
          label="Messages already sent since the customer wrote"
          min={0}
          max={50}
          value={scenario.sentSinceInbound}
          onChange={(value) => set({ sentSinceInbound: typeof value === 'number' ? value : 0 })}
        />
      )}
      {hasPayment && (
        <Switch
          label="Customer paid just now"
          checked={scenario.lastPaymentAt !== null}
          onChange={(event) => set({ lastPaymentAt: event.currentTarget.checked ? now : null })}
        />
      )}
      <Select
        label="Recipient country (prices)"
        data={countries.map((code) => ({
          value: code,
          label: code === 'default' ? 'Other countries' : code,
        }))}
        value={scenario.country}
        allowDeselect={false}
        searchable
        onChange={(value) => value && set({ country: value })}
      />
    </Stack>
  );
}

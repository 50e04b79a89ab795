import { Badge } from '@mantine/core';
import type { WindowState } from '../../../shared/reply-window/types';

export const WINDOW_STATE_COLORS: Record<WindowState, string> = {
  open: 'teal',
  closing: 'orange',
  closed: 'red',
  unlimited: 'gray',
};

const LABELS: Record<WindowState, string> = {
  open: 'Open',
  closing: 'Closing soon',
  closed: 'Closed',
  unlimited: 'No window',
};

export function WindowStateBadge({ state }: { state: WindowState }) {
  return (
    <Badge
      color={WINDOW_STATE_COLORS[state]}
      variant="light"
      size="sm"
      data-testid="window-state"
      data-window-state={state}
      // A label, never squeezed: in a crowded header strip it kept only its rounded ends.
      style={{ flexShrink: 0 }}
    >
      {LABELS[state]}
    </Badge>
  );
}

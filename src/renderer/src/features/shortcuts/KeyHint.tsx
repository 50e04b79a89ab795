import { Fragment } from 'react';
import { Group, Kbd, Text, type MantineSize } from '@mantine/core';
import { bindingLabels } from './keymap';
import type { KeyboardPlatform } from './platform';

export interface KeyHintProps {
  /** Bindings in keymap syntax; all are shown, joined by "or". */
  readonly keys: readonly string[];
  readonly platform?: KeyboardPlatform;
  readonly size?: MantineSize;
}

function Joiner({ children }: { children: string }) {
  return (
    <Text span size="xs" c="dimmed" mx={2}>
      {children}
    </Text>
  );
}

/** Keys as `<Kbd>`s: `⌘ K`, `G then M`, `J or ⌥ ↓`. */
export function KeyHint({ keys, platform, size = 'xs' }: KeyHintProps) {
  return (
    <Group gap={3} wrap="nowrap" component="span" data-testid="key-hint">
      {keys.map((binding, bindingIndex) => (
        <Fragment key={binding}>
          {bindingIndex > 0 && <Joiner>or</Joiner>}
          {bindingLabels(binding, platform).map((step, stepIndex) => (
            <Fragment key={stepIndex}>
              {stepIndex > 0 && <Joiner>then</Joiner>}
              {step.map((label) => (
                <Kbd key={label} size={size} style={{ minWidth: 22, textAlign: 'center' }}>
                  {label}
                </Kbd>
              ))}
            </Fragment>
          ))}
        </Fragment>
      ))}
    </Group>
  );
}

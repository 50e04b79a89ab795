import type { ReactNode } from 'react';
import { ActionIcon, CopyButton, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/**
 * A small icon button that copies `value`, saying "Copied" for a moment; `label` names it.
 * `toolbar`: drawn like the conversation header's other icon buttons, with its own `icon`.
 */
export function CopyValueButton({
  value,
  label,
  size = 'xs',
  icon,
  testId,
}: {
  value: string;
  label: string;
  size?: 'xs' | 'sm' | 'toolbar';
  icon?: (size: number) => ReactNode;
  testId?: string;
}) {
  const toolbar = size === 'toolbar';
  const iconSize = toolbar ? 15 : size === 'xs' ? 12 : 14;
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : label} withArrow>
          <ActionIcon
            size={toolbar ? 26 : size}
            variant={toolbar ? 'default' : 'subtle'}
            color={copied ? 'teal' : 'gray'}
            onClick={copy}
            aria-label={label}
            data-testid={testId}
            data-copied={copied || undefined}
          >
            {copied ? (
              <IconCheck size={iconSize} />
            ) : icon ? (
              icon(iconSize)
            ) : (
              <IconCopy size={iconSize} />
            )}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

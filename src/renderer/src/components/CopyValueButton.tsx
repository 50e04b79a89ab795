import { ActionIcon, CopyButton, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/** A small icon button that copies `value`, saying "Copied" for a moment; `label` names it. */
export function CopyValueButton({
  value,
  label,
  size = 'xs',
}: {
  value: string;
  label: string;
  size?: 'xs' | 'sm';
}) {
  const icon = size === 'xs' ? 12 : 14;
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : label} withArrow>
          <ActionIcon
            size={size}
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            onClick={copy}
            aria-label={label}
          >
            {copied ? <IconCheck size={icon} /> : <IconCopy size={icon} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

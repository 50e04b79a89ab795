import { useCallback, useEffect, useState } from 'react';
import { Badge, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronDown } from '@tabler/icons-react';
import { z } from 'zod';
import { availabilitySchema, type Availability } from '../../../../shared/protocol/admin';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import { useData } from '../../data/hooks';

const answerSchema = z.object({ availability: availabilitySchema });

const LABELS: Record<Availability, { label: string; color: string; hint: string }> = {
  available: {
    label: 'Available',
    color: 'teal',
    hint: 'New conversations of your teams’ round-robin may come to you.',
  },
  away: {
    label: 'Away',
    color: 'gray',
    hint: 'Round-robin skips you; conversations already yours stay yours.',
  },
};

/**
 * The signed-in user's availability for round-robin assignment (`/api/me/availability`), in the
 * header: agents go away for a break without asking an admin. In the desktop app the tray's menu
 * sets it too (`tray:set-availability`).
 */
export function AvailabilityMenu({ desktop = null }: { desktop?: DesktopApi | null }) {
  const data = useData();
  const [current, setCurrent] = useState<Availability | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    data.request('GET', '/api/me/availability', answerSchema).then(
      (answer) => live && setCurrent(answer.availability),
      () => live && setCurrent(null),
    );
    return () => {
      live = false;
    };
  }, [data]);

  const choose = useCallback(
    async (next: Availability): Promise<void> => {
      setError(null);
      try {
        const answer = await data.request('PUT', '/api/me/availability', answerSchema, {
          availability: next,
        });
        setCurrent(answer.availability);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
      }
    },
    [data],
  );
  useEffect(
    () => desktop?.onTrayAvailability(({ availability }) => void choose(availability)),
    [desktop, choose],
  );
  // The tray's menu shows it checked; gone (signed out, this computer's hub) it offers none.
  useEffect(() => {
    desktop?.showTrayAvailability(current).catch(() => undefined);
  }, [desktop, current]);
  useEffect(() => {
    if (!desktop) return undefined;
    return () => {
      desktop.showTrayAvailability(null).catch(() => undefined);
    };
  }, [desktop]);

  // Offline or an older hub: nothing to show rather than a control that cannot work.
  if (current === null) return null;
  const shown = LABELS[current];
  return (
    <Menu position="bottom-end" width={280} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Availability: ${shown.label}`} data-testid="availability">
          <Badge
            variant="dot"
            color={shown.color}
            size="sm"
            rightSection={<IconChevronDown size={12} />}
            style={{ cursor: 'pointer' }}
          >
            {shown.label}
          </Badge>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {(Object.keys(LABELS) as Availability[]).map((key) => (
          <Menu.Item
            key={key}
            onClick={() => void choose(key)}
            rightSection={key === current ? <IconCheck size={14} /> : null}
          >
            <Text size="sm" fw={500}>
              {LABELS[key].label}
            </Text>
            <Text size="xs" c="dimmed">
              {LABELS[key].hint}
            </Text>
          </Menu.Item>
        ))}
        {error && (
          <Text size="xs" c="red" px="sm" pb="xs" role="alert">
            {error}
          </Text>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

import { Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { KeyHint } from './KeyHint';
import { KEYMAP, SHORTCUT_GROUPS, type Shortcut } from './keymap';
import { keyLabels, PLATFORM, type KeyboardPlatform } from './platform';

export interface ShortcutsHelpProps {
  readonly opened: boolean;
  readonly onClose: () => void;
  readonly platform?: KeyboardPlatform;
  readonly keymap?: readonly Shortcut[];
}

/** The help sheet (`?`): every shortcut by section, with the keys this keyboard has. */
export function ShortcutsHelp({
  opened,
  onClose,
  platform = PLATFORM,
  keymap = KEYMAP,
}: ShortcutsHelpProps) {
  const palette = keymap.find((shortcut) => shortcut.id === 'commandPalette')?.keys[0];
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={
        <Text fw={600} size="md">
          Keyboard shortcuts
        </Text>
      }
      size={720}
      radius="md"
      data-testid="shortcuts-help"
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xl" verticalSpacing="lg">
        {SHORTCUT_GROUPS.map((group) => {
          const shortcuts = keymap.filter((shortcut) => shortcut.group === group);
          if (shortcuts.length === 0) return null;
          return (
            <Stack key={group} gap={4} data-testid="shortcuts-group">
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.4} mb={2}>
                {group}
              </Text>
              {shortcuts.map((shortcut) => (
                <Group
                  key={shortcut.id}
                  justify="space-between"
                  wrap="nowrap"
                  gap="md"
                  py={3}
                  style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
                >
                  <Text size="sm">{shortcut.description}</Text>
                  <KeyHint keys={shortcut.keys} platform={platform} />
                </Group>
              ))}
            </Stack>
          );
        })}
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="lg">
        Single-key shortcuts pause while you type; press Esc to leave the text field.
        {palette
          ? ` ${keyLabels(palette, platform).join(platform === 'mac' ? '' : '+')} works everywhere.`
          : ''}
      </Text>
    </Modal>
  );
}

import {
  Badge,
  Group,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { IconBrandWhatsapp, IconFolder, IconMessageBolt, IconSearch } from '@tabler/icons-react';
import type { Template } from '../../../../../shared/domain/model';
import type { ListFilter } from './template-editor';

export interface TemplateListProps {
  readonly templates: readonly Template[];
  readonly total: number;
  readonly filter: ListFilter;
  readonly folders: readonly string[];
  readonly tags: readonly string[];
  readonly selectedId: string | null;
  readonly onFilter: (filter: ListFilter) => void;
  readonly onSelect: (template: Template) => void;
}

const STATUS_COLORS: Readonly<Record<Template['status'], string>> = {
  draft: 'gray',
  pending: 'yellow',
  approved: 'teal',
  rejected: 'red',
  paused: 'orange',
};

/** The left pane: search, kind, folder and tag filters, and the templates grouped by folder. */
export function TemplateList({
  templates,
  total,
  filter,
  folders,
  tags,
  selectedId,
  onFilter,
  onSelect,
}: TemplateListProps) {
  return (
    <Stack gap={6} h="100%" style={{ minHeight: 0 }}>
      <TextInput
        size="xs"
        placeholder="Search title, shortcut, text, tag"
        leftSection={<IconSearch size={14} />}
        aria-label="Search templates"
        value={filter.query}
        onChange={(e) => onFilter({ ...filter, query: e.currentTarget.value })}
      />
      <SegmentedControl
        size="xs"
        fullWidth
        data={[
          { value: 'all', label: 'All' },
          { value: 'quick_reply', label: 'Quick replies' },
          { value: 'whatsapp', label: 'WhatsApp' },
        ]}
        value={filter.kind}
        onChange={(value) =>
          onFilter({
            ...filter,
            kind: value === 'quick_reply' || value === 'whatsapp' ? value : 'all',
          })
        }
      />
      <Group gap={6} grow>
        <Select
          size="xs"
          placeholder="Any folder"
          aria-label="Filter by folder"
          clearable
          data={[
            { value: '', label: 'No folder' },
            ...folders.map((f) => ({ value: f, label: f })),
          ]}
          value={filter.folder}
          onChange={(folder) => onFilter({ ...filter, folder })}
        />
        <Select
          size="xs"
          placeholder="Any tag"
          aria-label="Filter by tag"
          clearable
          data={[...tags]}
          value={filter.tag}
          onChange={(tag) => onFilter({ ...filter, tag })}
        />
      </Group>
      <Text size="xs" c="dimmed">
        {templates.length === total
          ? `${total} ${total === 1 ? 'template' : 'templates'}`
          : `${templates.length} of ${total}`}
      </Text>
      <ScrollArea style={{ flex: 1, minHeight: 0 }} offsetScrollbars type="auto">
        <Stack gap={1} data-testid="template-list">
          {templates.length === 0 && (
            <Text size="xs" c="dimmed" py="md" ta="center">
              {total === 0 ? 'No templates yet.' : 'Nothing matches these filters.'}
            </Text>
          )}
          {templates.map((template, index) => {
            const folder = template.folder;
            // A heading where the folder changes; "No folder" only below named folders.
            const previous = index > 0 ? templates[index - 1] : undefined;
            const heading = previous ? previous.folder !== folder : folder !== null;
            const selected = template.id === selectedId;
            return (
              <div key={template.id}>
                {heading && (
                  <Group gap={4} pt={6} pb={2} c="dimmed">
                    <IconFolder size={12} />
                    <Text size="xs" fw={600}>
                      {folder ?? 'No folder'}
                    </Text>
                  </Group>
                )}
                <UnstyledButton
                  onClick={() => onSelect(template)}
                  data-testid="template-row"
                  aria-current={selected || undefined}
                  w="100%"
                  px={8}
                  py={5}
                  style={{
                    borderRadius: 'var(--mantine-radius-sm)',
                    background: selected ? 'var(--mantine-primary-color-light)' : undefined,
                  }}
                >
                  <Group gap={6} wrap="nowrap">
                    {template.kind === 'whatsapp' ? (
                      <IconBrandWhatsapp
                        size={14}
                        color="var(--mantine-color-green-6)"
                        style={{ flexShrink: 0 }}
                      />
                    ) : (
                      <IconMessageBolt
                        size={14}
                        color="var(--mantine-color-blue-6)"
                        style={{ flexShrink: 0 }}
                      />
                    )}
                    <Text size="sm" truncate style={{ flex: 1 }}>
                      {template.name}
                    </Text>
                    {template.shortcut && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        /{template.shortcut}
                      </Text>
                    )}
                    {template.status !== 'approved' && (
                      <Badge size="xs" variant="light" color={STATUS_COLORS[template.status]}>
                        {template.status}
                      </Badge>
                    )}
                  </Group>
                </UnstyledButton>
              </div>
            );
          })}
        </Stack>
      </ScrollArea>
    </Stack>
  );
}

import { z } from 'zod';
import { Alert, Group, Paper, Switch, Text } from '@mantine/core';
import { workspaceSettingsSchema } from '../../../../../shared/protocol/admin';
import { useData } from '../../../data/hooks';
import { useHubResource } from '../use-hub-resource';
import { useSubmit } from '../use-submit';

const answerSchema = z.object({ settings: workspaceSettingsSchema });

/**
 * The workspace's "assign on reply" switch (issue 12, item 13), beside the other assignment
 * rules. The hub applies it to every reply, whichever app sends it.
 */
export function AssignOnReplySetting() {
  const layer = useData();
  const settings = useHubResource('/api/workspace-settings', answerSchema);
  const submit = useSubmit();
  const checked = settings.data?.settings.assignOnReply ?? true;

  const change = (assignOnReply: boolean) =>
    void submit
      .run(async () => {
        await layer.request('PUT', '/api/workspace-settings', answerSchema, { assignOnReply });
      })
      .then(() => settings.reload());

  return (
    <Paper withBorder px="md" py="sm">
      <Group justify="space-between" wrap="nowrap" gap="md">
        <div>
          <Text fw={600} size="sm" component="label" htmlFor="assign-on-reply">
            Assign on reply
          </Text>
          <Text size="xs" c="dimmed">
            Replying to an unassigned conversation assigns it to the agent who replied, so two
            agents do not answer the same customer.
          </Text>
        </div>
        <Switch
          id="assign-on-reply"
          checked={checked}
          disabled={settings.data === null || submit.busy}
          onChange={(event) => change(event.currentTarget.checked)}
          data-testid="assign-on-reply"
        />
      </Group>
      {(settings.error ?? submit.error) && (
        <Alert color="red" variant="light" mt="sm">
          {settings.error ?? submit.error}
        </Alert>
      )}
    </Paper>
  );
}

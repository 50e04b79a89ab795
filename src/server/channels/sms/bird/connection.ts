import { z } from 'zod';
import { settingOf, type ChannelSettings, type WebhookRegistration } from '../../connector';
import { readForTest, testRefusal } from '../connection';
import type { SmsSendOptions } from '../provider';
import { birdApiBase, smsScrubber } from '../settings';
import { birdErrorOf } from './sender';

/**
 * "Test connection" for Bird: `GET {base}/workspaces/{workspaceId}/channels/{channelId}` with the
 * access key a send uses (docs.bird.com Channels API, "Channels management"; the key needs the
 * permission to view the channel, as the Channels API overview lists it). The channel object names the channel
 * (`name`, `platformId`, `identifier`: the number) and its `status`.
 */

const channelSchema = z
  .object({
    id: z.string().max(100),
    name: z.string().max(500).optional(),
    platformId: z.string().max(100).optional(),
    identifier: z.string().max(500).optional(),
    status: z.string().max(100).optional(),
  })
  .passthrough();

export async function testBirdConnection(
  settings: ChannelSettings,
  options: SmsSendOptions,
): Promise<WebhookRegistration> {
  const scrub = smsScrubber(settings, 500);
  const workspace = settingOf(settings, 'birdWorkspaceId');
  const channel = settingOf(settings, 'birdChannelId');
  const read = await readForTest(
    `${birdApiBase(settings)}/workspaces/${encodeURIComponent(workspace)}/channels/${encodeURIComponent(channel)}`,
    `AccessKey ${settingOf(settings, 'birdAccessKey')}`,
    'the Bird API',
    options,
    scrub,
  );
  if ('ok' in read) return read;
  if (read.status < 200 || read.status >= 300) {
    const said = birdErrorOf(read.text);
    const what =
      read.status === 404
        ? `Bird has no channel ${channel} in workspace ${workspace}`
        : 'Bird refused the access key';
    return testRefusal(`${what} (HTTP ${read.status}${said ? `: ${scrub(said)}` : ''}).`);
  }
  let json: unknown = null;
  try {
    json = JSON.parse(read.text);
  } catch {
    // handled below
  }
  const found = channelSchema.safeParse(json);
  if (!found.success)
    return testRefusal(`Bird answered HTTP ${read.status} without the channel's JSON.`);
  const c = found.data;
  const about = [c.platformId, c.identifier].filter(Boolean).join(', ');
  const named = `${c.name ? `“${scrub(c.name)}”` : c.id}${about ? ` (${scrub(about)})` : ''}`;
  const status = c.status ? `, ${scrub(c.status)}` : '';
  return {
    ok: true,
    detail: `Bird accepts the access key: channel ${named} in workspace ${workspace}${status}.`,
  };
}

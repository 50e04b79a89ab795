import type { ChannelKind } from '../../shared/domain/channels';
import type { ChannelConnector, ChannelSettings } from '../channels/connector';
import type { HubContext } from '../context';
import type { Router } from '../http/router';
import { registerChannelApi, type ChannelAdmin } from './channels-api';
import { registerUserApi } from './users-api';
import { registerWorkspaceApi } from './workspace-api';

export type { ChannelAdmin } from './channels-api';

/**
 * Routes of users, teams and assignment rules, workspace settings, channel connections, the
 * rate card. Async: the
 * saved rate card and channel settings are loaded before the hub serves anyone. Returns what
 * the channels' webhooks and senders need (the settings in force, where to record status).
 */
export async function registerAdminApi(
  router: Router,
  context: HubContext,
  connectors: readonly ChannelConnector[],
  fromEnvironment: (channel: ChannelKind) => ChannelSettings,
): Promise<ChannelAdmin> {
  registerUserApi(router, context);
  registerWorkspaceApi(router, context);
  return registerChannelApi(router, context, connectors, fromEnvironment);
}

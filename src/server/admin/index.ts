import type { WhatsAppConfig } from '../config';
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
 * the WhatsApp webhook needs (the secrets in force, and where to record its status).
 */
export async function registerAdminApi(
  router: Router,
  context: HubContext,
  whatsapp: WhatsAppConfig | null = null,
): Promise<ChannelAdmin> {
  registerUserApi(router, context);
  registerWorkspaceApi(router, context);
  return registerChannelApi(router, context, whatsapp);
}

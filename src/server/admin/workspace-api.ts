import {
  DEFAULT_WORKSPACE_SETTINGS,
  workspaceSettingsInputSchema,
  type WorkspaceSettings,
} from '../../shared/protocol/admin';
import type { HubContext } from '../context';
import { readJson, sendJson } from '../http/io';
import type { Router } from '../http/router';
import type { Queryable } from '../store/db';

/**
 * Workspace-wide settings (issue 12, item 13): everyone reads them (the app says what a reply
 * will do), only admins change them. One row, `workspace_settings`; no row means the defaults.
 */

export async function readWorkspaceSettings(q: Queryable): Promise<WorkspaceSettings> {
  const { rows } = await q.query<{ assign_on_reply: boolean }>(
    'select assign_on_reply from workspace_settings where id = 1',
  );
  const row = rows[0];
  return row ? { assignOnReply: row.assign_on_reply } : DEFAULT_WORKSPACE_SETTINGS;
}

export function registerWorkspaceApi(router: Router, context: HubContext): void {
  const { db, auth, now } = context;

  router.get('/api/workspace-settings', async ({ req, res }) => {
    await auth.requireUser(req);
    sendJson(res, 200, { settings: await readWorkspaceSettings(db) });
  });

  router.put('/api/workspace-settings', async ({ req, res }) => {
    const user = await auth.requireRole(req, ['admin'], 'change workspace settings');
    const input = await readJson(req, workspaceSettingsInputSchema);
    const settings = await db.transaction(async (tx) => {
      const next = { ...(await readWorkspaceSettings(tx)), ...input };
      await tx.query(
        `insert into workspace_settings (id, assign_on_reply, updated_at, updated_by)
         values (1, $1, $2, $3)
         on conflict (id) do update set assign_on_reply = $1, updated_at = $2, updated_by = $3`,
        [next.assignOnReply, now(), user.id],
      );
      return next;
    });
    sendJson(res, 200, { settings });
  });
}

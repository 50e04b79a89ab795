import { CSAT_OPTIONS, csatSettingsSchema, type CsatSettings } from '../../shared/csat';
import type { HubEvent } from '../../shared/protocol/events';
import { positionalNames } from '../../shared/templates';
import type { HubContext } from '../context';
import { HttpError } from '../http/errors';
import { readJson, sendJson } from '../http/io';
import type { Router } from '../http/router';
import type { Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import { getTemplate } from '../store/templates';
import { loadCsatSettings, saveCsatSettings } from './service';

const refuse = (path: string, message: string): HttpError =>
  new HttpError(400, 'bad_request', message, { fields: [{ path, message }] });

/**
 * The template for outside the window: an approved WhatsApp template without variables, with one
 * quick-reply button per option of the scale (best first).
 */
async function checkTemplate(q: Queryable, settings: CsatSettings): Promise<void> {
  if (settings.whatsappTemplateId === null) return;
  const template = await getTemplate(q, settings.whatsappTemplateId);
  const path = 'whatsappTemplateId';
  if (!template || template.kind !== 'whatsapp')
    throw refuse(path, `No WhatsApp template ${settings.whatsappTemplateId}.`);
  if (template.status !== 'approved')
    throw refuse(path, `Template "${template.name}" is ${template.status}, not approved.`);
  if (positionalNames(template.body).numbers.length > 0)
    throw refuse(path, `Template "${template.name}" has variables; the CSAT template takes none.`);
  const quickReplies = template.buttons.filter((b) => b.type === 'quick_reply').length;
  const options = CSAT_OPTIONS[settings.scale].length;
  if (quickReplies !== options)
    throw refuse(
      path,
      `Template "${template.name}" has ${quickReplies} quick-reply buttons; this scale needs ${options} (best first).`,
    );
}

/** `GET /api/csat/settings` (anyone signed in), `PUT` (admins): one `csat.updated` event. */
export function registerCsatApi(router: Router, context: HubContext): void {
  const { db, bus, auth, now } = context;

  router.get('/api/csat/settings', async ({ req, res }) => {
    await auth.requireUser(req);
    sendJson(res, 200, { settings: await loadCsatSettings(db) });
  });

  router.put('/api/csat/settings', async ({ req, res }) => {
    const user = await auth.requireRole(req, ['admin'], 'change CSAT settings');
    const settings = await readJson(req, csatSettingsSchema);
    const at = now();
    const events = await db.transaction(async (tx) => {
      await checkTemplate(tx, settings);
      await saveCsatSettings(tx, settings, user.id, at);
      const event: HubEvent = { type: 'csat.updated', csat: settings };
      return appendEvents(tx, [event], at);
    });
    bus.publish(events);
    sendJson(res, 200, { settings });
  });
}

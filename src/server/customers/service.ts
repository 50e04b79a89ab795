import type { ChannelKind } from '../../shared/domain/channels';
import { normaliseEmail, phoneE164 } from '../../shared/domain/contact';
import type { Command } from '../../shared/protocol/commands';
import type {
  CustomerChanges,
  CustomerIdentity,
  CustomerProfile,
  CustomerView,
  MergeCandidate,
} from '../../shared/protocol/customers';
import { conversationUpdated, type HubEvent } from '../../shared/protocol/events';
import { badRequest, HttpError, notFound } from '../http/errors';
import { CONVERSATION_SELECT, toConversation, type ConversationRow } from '../store/conversations';
import type { Queryable } from '../store/db';

/**
 * One customer across channels (issue #20 item 2): profiles, edits, merges and unmerges, and the
 * merges the hub proposes. Commands run inside the command service's transaction
 * (core/commands.ts), so they are idempotent by client id and their events get seqs like any.
 */

interface CustomerRow {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  country: string | null;
  language: string | null;
  note: string;
  merged_into: string | null;
  merge_filled: Partial<Record<FilledField, string>> | null;
  created_at: number;
  updated_at: number;
}

/** The fields a merge fills in on the customer kept when it has none. */
const FILLED_FIELDS = ['phone', 'email', 'country', 'language', 'note'] as const;
type FilledField = (typeof FILLED_FIELDS)[number];

/** At most this many conversations in a profile. */
const PROFILE_CONVERSATIONS = 200;
/** At most this many customers looked at per proposal kind. */
const CANDIDATE_LOOKUPS = 50;

export function toProfile(row: CustomerRow): CustomerProfile {
  return {
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    country: row.country,
    language: row.language,
    note: row.note,
    mergedInto: row.merged_into,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const CUSTOMER_COLUMNS =
  'id, name, phone, email, country, language, note, merged_into, merge_filled, created_at, updated_at';

async function customerRow(q: Queryable, id: string, lock = false): Promise<CustomerRow | null> {
  const { rows } = await q.query<CustomerRow>(
    `select ${CUSTOMER_COLUMNS} from customers where id = $1${lock ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** The customer and every customer merged into it, at any depth. */
async function treeOf(q: Queryable, id: string): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `with recursive tree(id) as (
       select $1::text
       union select c.id from customers c join tree on c.merged_into = tree.id
     ) select id from tree`,
    [id],
  );
  return rows.map((row) => row.id);
}

async function conversationsOf(q: Queryable, ids: readonly string[]): Promise<ConversationRow[]> {
  const { rows } = await q.query<ConversationRow>(
    `${CONVERSATION_SELECT} where v.customer_id = any($1::text[])
     order by v.last_message_at desc, v.id desc limit ${PROFILE_CONVERSATIONS}`,
    [ids],
  );
  return rows;
}

async function identitiesOf(q: Queryable, ids: readonly string[]): Promise<CustomerIdentity[]> {
  const { rows } = await q.query<{ channel: ChannelKind; external_id: string; owner: string }>(
    `select channel, external_id, coalesce(owner_id, customer_id) as owner
     from customer_identities
     where customer_id = any($1::text[]) or coalesce(owner_id, customer_id) = any($1::text[])
     order by channel, external_id`,
    [ids],
  );
  return rows
    .filter((row) => ids.includes(row.owner))
    .map((row) => ({ channel: row.channel, externalId: row.external_id, ownerId: row.owner }));
}

async function channelsOf(
  q: Queryable,
  ids: readonly string[],
): Promise<Map<string, ChannelKind[]>> {
  const { rows } = await q.query<{ customer_id: string; channel: ChannelKind }>(
    `select distinct customer_id, channel from customer_identities
     where customer_id = any($1::text[]) order by channel`,
    [ids],
  );
  const channels = new Map<string, ChannelKind[]>();
  for (const row of rows)
    channels.set(row.customer_id, [...(channels.get(row.customer_id) ?? []), row.channel]);
  return channels;
}

/**
 * Customers who look like the same person on another channel: the same phone number in E.164
 * (each read in its own customer's country), or the same e-mail address whatever its case. Only
 * customers standing alone (not merged) are proposed, and only when their channels differ.
 */
export async function mergeCandidates(q: Queryable, id: string): Promise<MergeCandidate[]> {
  const self = await customerRow(q, id);
  if (!self || self.merged_into !== null) return [];
  const found = new Map<
    string,
    { row: CustomerRow; reason: MergeCandidate['reason']; value: string }
  >();
  const phone = phoneE164(self.phone, self.country);
  if (phone !== null) {
    const tail = phone.replace(/\D/g, '').slice(-8);
    const { rows } = await q.query<CustomerRow>(
      `select ${CUSTOMER_COLUMNS} from customers
       where phone is not null and right(regexp_replace(phone, '[^0-9]', '', 'g'), 8) = $1
         and id <> $2 and merged_into is null
       order by created_at, id limit ${CANDIDATE_LOOKUPS}`,
      [tail, id],
    );
    for (const row of rows)
      if (phoneE164(row.phone, row.country) === phone)
        found.set(row.id, { row, reason: 'phone', value: phone });
  }
  const email = normaliseEmail(self.email);
  if (email !== null) {
    const { rows } = await q.query<CustomerRow>(
      `select ${CUSTOMER_COLUMNS} from customers
       where lower(email) = $1 and id <> $2 and merged_into is null
       order by created_at, id limit ${CANDIDATE_LOOKUPS}`,
      [email, id],
    );
    for (const row of rows)
      if (!found.has(row.id)) found.set(row.id, { row, reason: 'email', value: email });
  }
  if (found.size === 0) return [];
  const channels = await channelsOf(q, [id, ...found.keys()]);
  const own = [...new Set(channels.get(id) ?? [])].sort().join(',');
  return [...found.values()]
    .map(({ row, reason, value }) => ({
      customer: toProfile(row),
      reason,
      value,
      channels: [...new Set(channels.get(row.id) ?? [])].sort(),
    }))
    .filter((candidate) => candidate.channels.join(',') !== own);
}

/** `GET /api/customers/:id`: the profile, its identities, conversations, merges and proposals. */
export async function customerView(q: Queryable, id: string): Promise<CustomerView | null> {
  const row = await customerRow(q, id);
  if (!row) return null;
  const tree = await treeOf(q, id);
  const { rows: merged } = await q.query<CustomerRow>(
    `select ${CUSTOMER_COLUMNS} from customers where merged_into = $1 order by merged_at, id`,
    [id],
  );
  return {
    customer: toProfile(row),
    identities: await identitiesOf(q, tree),
    conversations: (await conversationsOf(q, tree)).map(toConversation),
    merged: merged.map(toProfile),
    candidates: await mergeCandidates(q, id),
  };
}

type CustomerCommand = Extract<
  Command,
  { type: 'update_customer' | 'merge_customers' | 'unmerge_customer' }
>;

export const isCustomerCommand = (command: Command): command is CustomerCommand =>
  command.type === 'update_customer' ||
  command.type === 'merge_customers' ||
  command.type === 'unmerge_customer';

const conflict = (message: string): HttpError => new HttpError(409, 'conflict', message);
const refuseField = (path: string, message: string): HttpError =>
  badRequest(message, { fields: [{ path, message }] });

/** Every conversation of `customerId` as an event: their customer snapshot changed. */
async function pushConversations(
  tx: Queryable,
  events: HubEvent[],
  where: string,
  params: unknown[],
): Promise<string[]> {
  const { rows } = await tx.query<ConversationRow>(
    `${CONVERSATION_SELECT} where ${where} order by v.id`,
    params,
  );
  for (const row of rows) events.push(conversationUpdated(toConversation(row)));
  return rows.map((row) => row.id);
}

const customerUpdated = (row: CustomerRow): HubEvent => ({
  type: 'customer.updated',
  customer: toProfile(row),
});

/** The stored form of an edit: trimmed, empty as null, the country in capitals. */
function storedChanges(changes: CustomerChanges): Partial<Record<string, string | null>> {
  const out: Partial<Record<string, string | null>> = {};
  for (const [field, value] of Object.entries(changes) as [
    keyof CustomerChanges,
    string | null | undefined,
  ][]) {
    if (value === undefined) continue;
    if (field === 'note') out.note = value ?? '';
    else if (field === 'country') out.country = value ? value.toUpperCase() : null;
    else out[field] = value === null || value === '' ? null : value;
  }
  return out;
}

async function updateCustomer(
  tx: Queryable,
  command: Extract<CustomerCommand, { type: 'update_customer' }>,
  at: number,
  events: HubEvent[],
): Promise<unknown> {
  const before = await customerRow(tx, command.customerId, true);
  if (!before) throw notFound(`No customer ${command.customerId}.`);
  if (before.merged_into !== null) {
    const into = await customerRow(tx, before.merged_into);
    throw conflict(
      `${before.name} is merged into ${into?.name ?? before.merged_into}: edit that profile, or unmerge them first.`,
    );
  }
  const changes = storedChanges(command.changes);
  const fields = Object.keys(changes);
  if (fields.length === 0)
    throw refuseField('command.changes', 'changes: name at least one field to change.');
  const sets = fields.map((field, i) => `${field} = $${i + 3}`);
  if ('name' in changes) sets.push('name_locked = true');
  const { rows } = await tx.query<CustomerRow>(
    `update customers set ${sets.join(', ')}, updated_at = $2 where id = $1 returning ${CUSTOMER_COLUMNS}`,
    [command.customerId, at, ...fields.map((field) => changes[field])],
  );
  const after = rows[0] as CustomerRow;
  events.push(customerUpdated(after));
  // The note is not in a conversation's snapshot of its customer: only the other fields resend them.
  const snapshot = (['name', 'phone', 'email', 'country', 'language'] as const).some(
    (field) => before[field] !== after[field],
  );
  if (snapshot) {
    await tx.query('update conversations set updated_at = $2 where customer_id = $1', [
      after.id,
      at,
    ]);
    await pushConversations(tx, events, 'v.customer_id = $1', [after.id]);
  }
  return { customer: toProfile(after) };
}

async function mergeCustomers(
  tx: Queryable,
  command: Extract<CustomerCommand, { type: 'merge_customers' }>,
  userId: string,
  at: number,
  events: HubEvent[],
): Promise<unknown> {
  if (command.customerId === command.mergedId)
    throw refuseField('command.mergedId', 'mergedId: a customer cannot be merged into itself.');
  // Both rows locked, in id order (two agents merging the same pair the other way round wait).
  const [first, second] = [command.customerId, command.mergedId].sort();
  const locked = new Map<string, CustomerRow>();
  for (const id of [first, second] as string[]) {
    const row = await customerRow(tx, id, true);
    if (row) locked.set(id, row);
  }
  const kept = locked.get(command.customerId);
  const merged = locked.get(command.mergedId);
  if (!kept) throw notFound(`No customer ${command.customerId}.`);
  if (!merged) throw notFound(`No customer ${command.mergedId}.`);
  if (kept.merged_into !== null) {
    const into = await customerRow(tx, kept.merged_into);
    throw conflict(
      `${kept.name} is itself merged into ${into?.name ?? kept.merged_into}: merge into that customer instead.`,
    );
  }
  if (merged.merged_into !== null) {
    const into = await customerRow(tx, merged.merged_into);
    throw conflict(`${merged.name} is already merged into ${into?.name ?? merged.merged_into}.`);
  }
  // What the kept customer lacks, the merged one gives (and takes back when unmerged).
  const filled: Partial<Record<FilledField, string>> = {};
  for (const field of FILLED_FIELDS) {
    const value = merged[field];
    if ((kept[field] === null || kept[field] === '') && value !== null && value !== '')
      filled[field] = value;
  }
  const fields = Object.keys(filled) as FilledField[];
  const { rows: keptRows } = await tx.query<CustomerRow>(
    `update customers set ${[...fields.map((field, i) => `${field} = $${i + 3}`), 'name_locked = true'].join(', ')},
       updated_at = $2 where id = $1 returning ${CUSTOMER_COLUMNS}`,
    [kept.id, at, ...fields.map((field) => filled[field])],
  );
  const { rows: mergedRows } = await tx.query<CustomerRow>(
    `update customers set merged_into = $2, merged_at = $3, merged_by = $4, merge_filled = $5::jsonb,
       updated_at = $3 where id = $1 returning ${CUSTOMER_COLUMNS}`,
    [merged.id, kept.id, at, userId, JSON.stringify(filled)],
  );
  await tx.query(
    `update customer_identities set owner_id = coalesce(owner_id, customer_id), customer_id = $2
     where customer_id = $1`,
    [merged.id, kept.id],
  );
  const { rows: moved } = await tx.query<{ id: string }>(
    'update conversations set customer_id = $2, updated_at = $3 where customer_id = $1 returning id',
    [merged.id, kept.id, at],
  );
  const movedIds = moved.map((row) => row.id).sort();
  events.push(
    customerUpdated(mergedRows[0] as CustomerRow),
    customerUpdated(keptRows[0] as CustomerRow),
  );
  // The moved conversations show the kept customer now; the kept one's own only if it changed.
  if (fields.length > 0) {
    await tx.query('update conversations set updated_at = $2 where customer_id = $1', [
      kept.id,
      at,
    ]);
    await pushConversations(tx, events, 'v.customer_id = $1', [kept.id]);
  } else {
    await pushConversations(tx, events, 'v.id = any($1::text[])', [movedIds]);
  }
  return {
    customer: toProfile(keptRows[0] as CustomerRow),
    merged: toProfile(mergedRows[0] as CustomerRow),
    conversationIds: movedIds,
  };
}

async function unmergeCustomer(
  tx: Queryable,
  command: Extract<CustomerCommand, { type: 'unmerge_customer' }>,
  at: number,
  events: HubEvent[],
): Promise<unknown> {
  const row = await customerRow(tx, command.customerId, true);
  if (!row) throw notFound(`No customer ${command.customerId}.`);
  if (row.merged_into === null) throw conflict(`${row.name} is not merged into another customer.`);
  const parent = (await customerRow(tx, row.merged_into, true)) as CustomerRow;
  // The customer and those merged into it before go back together, with their identities.
  const tree = await treeOf(tx, row.id);
  await tx.query(
    `update customer_identities set customer_id = $1
     where coalesce(owner_id, customer_id) = any($2::text[])`,
    [row.id, tree],
  );
  const { rows: moved } = await tx.query<{ id: string }>(
    `update conversations v set customer_id = $1, updated_at = $2
     from customer_identities i
     where i.channel = v.channel and i.external_id = v.customer_external_id
       and i.customer_id = $1 and v.customer_id <> $1
     returning v.id`,
    [row.id, at],
  );
  // What the merge filled in on the customer kept goes, unless someone changed it since.
  const filled = row.merge_filled ?? {};
  const restore = (Object.keys(filled) as FilledField[]).filter(
    (field) => FILLED_FIELDS.includes(field) && parent[field] === filled[field],
  );
  const { rows: parentRows } = await tx.query<CustomerRow>(
    `update customers set ${[...restore.map((field) => `${field} = ${field === 'note' ? "''" : 'null'}`), 'updated_at = $2'].join(', ')}
     where id = $1 returning ${CUSTOMER_COLUMNS}`,
    [parent.id, at],
  );
  const { rows: ownRows } = await tx.query<CustomerRow>(
    `update customers set merged_into = null, merged_at = null, merged_by = null, merge_filled = null,
       updated_at = $2 where id = $1 returning ${CUSTOMER_COLUMNS}`,
    [row.id, at],
  );
  const movedIds = moved.map((m) => m.id).sort();
  events.push(
    customerUpdated(ownRows[0] as CustomerRow),
    customerUpdated(parentRows[0] as CustomerRow),
  );
  await pushConversations(tx, events, 'v.id = any($1::text[])', [movedIds]);
  if (restore.length > 0) {
    // The customer kept lost what the merge had given it: its own conversations show that.
    await tx.query('update conversations set updated_at = $2 where customer_id = $1', [
      parent.id,
      at,
    ]);
    await pushConversations(tx, events, 'v.customer_id = $1', [parent.id]);
  }
  return {
    customer: toProfile(ownRows[0] as CustomerRow),
    from: toProfile(parentRows[0] as CustomerRow),
    conversationIds: movedIds,
  };
}

/** Run a customer command inside the command service's transaction. */
export function runCustomerCommand(
  tx: Queryable,
  command: CustomerCommand,
  userId: string,
  at: number,
  events: HubEvent[],
): Promise<unknown> {
  switch (command.type) {
    case 'update_customer':
      return updateCustomer(tx, command, at, events);
    case 'merge_customers':
      return mergeCustomers(tx, command, userId, at, events);
    case 'unmerge_customer':
      return unmergeCustomer(tx, command, at, events);
  }
}

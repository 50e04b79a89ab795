import type { Queryable } from '../store/db';

/**
 * Round-robin assignment of new conversations (issue 5, "assignment rules"). A conversation
 * belongs to the team that lists its channel (`teams.channels`; at most one team per channel);
 * when that team's rule is `round_robin`, it goes to the next of the team's members who is
 * enabled and available, in a fixed order (by user id), after the one assigned last. The
 * cursor (`teams.rr_last_user_id`) is written in the same transaction as the conversation, so
 * the rotation is fair across batches and survives a restart.
 */

/** The next member after `last` in `ordered` (wrapping), or the first when `last` is gone. */
export function nextInRotation(ordered: readonly string[], last: string | null): string | null {
  if (ordered.length === 0) return null;
  if (last === null) return ordered[0] ?? null;
  return ordered.find((id) => id > last) ?? ordered[0] ?? null;
}

/**
 * Assign `conversations` (new, in arrival order) by their channel's team rule. Call inside the
 * ingesting transaction; returns the assignee of each conversation it assigned, by id.
 */
export async function assignRoundRobin(
  tx: Queryable,
  conversations: readonly { readonly id: string; readonly channel: string }[],
): Promise<Map<string, string>> {
  const assigned = new Map<string, string>();
  if (conversations.length === 0) return assigned;
  const channels = [...new Set(conversations.map((c) => c.channel))];
  const { rows: teams } = await tx.query<{
    id: string;
    channels: string[];
    rr_last_user_id: string | null;
  }>(
    `select id, channels, rr_last_user_id from teams
     where assignment = 'round_robin' and channels && $1::text[]
     order by created_at, id for update`,
    [channels],
  );
  if (teams.length === 0) return assigned;
  const { rows: members } = await tx.query<{ team_id: string; user_id: string }>(
    `select m.team_id, m.user_id from team_members m join users u on u.id = m.user_id
     where m.team_id = any($1::text[]) and not u.disabled and u.availability = 'available'
     order by m.user_id`,
    [teams.map((team) => team.id)],
  );
  const cursors = new Map(teams.map((team) => [team.id, team.rr_last_user_id]));
  const teamOf = new Map<string, string>();
  for (const team of teams) for (const channel of team.channels) teamOf.set(channel, team.id);
  for (const conversation of conversations) {
    const teamId = teamOf.get(conversation.channel);
    if (teamId === undefined) continue;
    const eligible = members.filter((m) => m.team_id === teamId).map((m) => m.user_id);
    const next = nextInRotation(eligible, cursors.get(teamId) ?? null);
    if (next === null) continue;
    cursors.set(teamId, next);
    assigned.set(conversation.id, next);
  }
  if (assigned.size === 0) return assigned;
  await tx.query(
    `update conversations v set assignee_id = a.user_id
     from unnest($1::text[], $2::text[]) as a(id, user_id) where v.id = a.id`,
    [[...assigned.keys()], [...assigned.values()]],
  );
  const moved = teams.filter((team) => cursors.get(team.id) !== team.rr_last_user_id);
  await tx.query(
    `update teams t set rr_last_user_id = c.last
     from unnest($1::text[], $2::text[]) as c(id, last) where t.id = c.id`,
    [moved.map((team) => team.id), moved.map((team) => cursors.get(team.id) ?? null)],
  );
  return assigned;
}

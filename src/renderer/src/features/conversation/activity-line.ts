import type { Activity } from '../../../../shared/protocol/activity';
import { formatClockTime, formatWeekdayTime } from '../../format/dates';

/**
 * What an activity line says: "Assigned to Bram by Lea", "Resolved by Bram", "Snoozed until
 * Mon 09:00 by Lea", "First-response SLA missed". People by their name in `names` (the cached
 * teammates); a change the hub made itself (a rotation, a reply, an SLA clock) is "by Replydesk".
 */
export function activityText(activity: Activity, names: Readonly<Record<string, string>>): string {
  const nameOf = (id: string | null) => (id === null ? null : (names[id] ?? 'a former teammate'));
  const by = ` by ${activity.via === 'user' ? (nameOf(activity.actorId) ?? 'Replydesk') : 'Replydesk'}`;
  switch (activity.kind) {
    case 'assignment':
      return activity.to === null ? `Unassigned${by}` : `Assigned to ${nameOf(activity.to)}${by}`;
    case 'status':
      switch (activity.to) {
        case 'resolved':
          return `Resolved${by}`;
        case 'snoozed':
          return activity.until !== null
            ? `Snoozed until ${formatWeekdayTime(activity.until)}${by}`
            : `Snoozed${by}`;
        case 'open':
          return activity.from === 'resolved' || activity.from === 'snoozed'
            ? `Reopened${by}`
            : `Marked open${by}`;
        case 'pending':
          return `Marked pending${by}`;
        default:
          return `Status set to ${activity.to ?? 'none'}${by}`;
      }
    case 'priority':
      return `Priority set to ${capitalised(activity.to ?? 'normal')}${by}`;
    case 'label_added':
      return `Label ‘${activity.to ?? ''}’ added${by}`;
    case 'label_removed':
      return `Label ‘${activity.from ?? ''}’ removed${by}`;
    case 'sla_missed':
      return `${SLA_NAMES[activity.to ?? ''] ?? 'An'} SLA missed`;
  }
}

const SLA_NAMES: Readonly<Record<string, string>> = {
  first_response: 'First-response',
  next_response: 'Next-response',
  resolution: 'Resolution',
};

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The line with its time: "Resolved by Bram · 10:50". */
export function activityLine(activity: Activity, names: Readonly<Record<string, string>>): string {
  return `${activityText(activity, names)} · ${formatClockTime(activity.at)}`;
}

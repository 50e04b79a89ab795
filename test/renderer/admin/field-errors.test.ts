import { describe, expect, it } from 'vitest';
import {
  NO_ERRORS,
  valueAt,
  visibleErrors,
} from '../../../src/renderer/src/features/admin/field-errors';
import {
  emptyForm,
  formProblems,
} from '../../../src/renderer/src/features/admin/templates/template-editor';
import { checkFields } from '../../../src/shared/protocol/field-errors';
import { businessCalendarSchema, DEFAULT_CALENDAR } from '../../../src/shared/sla';

describe('form errors beside their fields', () => {
  const fresh = emptyForm('quick_reply');
  const problems = formProblems(fresh);

  it('words an empty quick reply "Required", not zod\'s "Too small"', () => {
    expect(problems).toEqual([
      { path: 'name', message: 'Required' },
      { path: 'body', message: 'Required' },
    ]);
  });

  it("shows nothing on a fresh form, a touched field's errors, and every error after Save", () => {
    expect(visibleErrors(NO_ERRORS, problems, fresh)).toEqual([]);
    expect(visibleErrors({ ...NO_ERRORS, touched: ['name'] }, problems, fresh)).toEqual([
      { path: 'name', message: 'Required' },
    ]);
    expect(visibleErrors({ ...NO_ERRORS, submitted: true }, problems, fresh)).toEqual(problems);
  });

  it("shows a day's errors once one of its hours is touched", () => {
    const calendar = {
      ...DEFAULT_CALENDAR,
      weeklyHours: { ...DEFAULT_CALENDAR.weeklyHours, mon: [{ start: '17:00', end: '09:00' }] },
    };
    const checked = checkFields(businessCalendarSchema, calendar);
    const client = checked.ok ? [] : checked.fields;
    expect(client).toEqual([
      { path: 'weeklyHours.mon.0', message: 'Opening time must be before closing time' },
    ]);
    expect(
      visibleErrors({ ...NO_ERRORS, touched: ['weeklyHours.tue.0'] }, client, calendar),
    ).toEqual([]);
    expect(
      visibleErrors({ ...NO_ERRORS, touched: ['weeklyHours.mon.0'] }, client, calendar),
    ).toEqual(client);
  });

  it("keeps the hub's error while its field holds the value it refused", () => {
    const form = { ...fresh, name: 'Delivery time', shortcut: 'eta', body: 'Soon.' };
    const hub = [
      { path: 'shortcut', message: 'Shortcut /eta is already used by ‘ETA’', was: '"eta"' },
    ];
    const state = { ...NO_ERRORS, submitted: true, hub };
    expect(visibleErrors(state, [], form)).toEqual([
      { path: 'shortcut', message: 'Shortcut /eta is already used by ‘ETA’' },
    ]);
    expect(visibleErrors(state, [], { ...form, body: 'Tomorrow.' })).toHaveLength(1);
    expect(visibleErrors(state, [], { ...form, shortcut: 'delivery' })).toEqual([]);
    expect(
      valueAt({ periods: [{ rates: { GB: { marketing: -1 } } }] }, 'periods.0.rates.GB.marketing'),
    ).toBe(-1);
  });
});

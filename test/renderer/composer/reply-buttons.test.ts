import { describe, expect, it } from 'vitest';
import {
  addButton,
  buttonLimits,
  buttonsView,
  NO_BUTTONS,
  outgoingButtons,
  removeButton,
  setButtonTitle,
} from '../../../src/renderer/src/features/composer/reply-buttons';
import { checkReplyButtons, newReplyButtonId } from '../../../src/shared/domain/reply-buttons';

describe('composer reply buttons: the control state', () => {
  it('is offered where the channel has the capability, not elsewhere', () => {
    expect(buttonLimits('messenger')).toEqual({ max: 13, titleMax: 20 });
    expect(buttonLimits('instagram')).toEqual({ max: 13, titleMax: 20 });
    expect(buttonLimits('whatsapp')).toBe(null);
    expect(buttonLimits('telegram')).toBe(null);
    expect(addButton(NO_BUTTONS, 'whatsapp', 'b_1')).toEqual([]);
  });

  it('adds up to 13 options, then no more', () => {
    let state = NO_BUTTONS;
    for (let i = 0; i < 14; i += 1) state = addButton(state, 'messenger', `b_${i}`);
    expect(state.map((b) => b.id)).toEqual(Array.from({ length: 13 }, (_, i) => `b_${i}`));
    const view = buttonsView(state, 'messenger', 'Pick one');
    expect([view.canAdd, view.count]).toEqual([false, '13 of 13']);
  });

  it('cuts a title at 20 characters as typed and counts characters, not UTF-16 units', () => {
    let state = addButton(NO_BUTTONS, 'messenger', 'b_a');
    state = setButtonTitle(state, 'messenger', 0, 'Rücksendung anfordern bitte');
    expect(state).toEqual([{ id: 'b_a', title: 'Rücksendung anforder' }]);
    state = setButtonTitle(state, 'messenger', 0, '📦 Return it');
    expect(buttonsView(state, 'messenger', 'x').rows).toEqual([
      { id: 'b_a', title: '📦 Return it', counter: '11 / 20', full: false },
    ]);
    state = setButtonTitle(state, 'messenger', 0, 'x'.repeat(25));
    expect(buttonsView(state, 'messenger', 'x').rows[0]).toEqual({
      id: 'b_a',
      title: 'x'.repeat(20),
      counter: '20 / 20',
      full: true,
    });
  });

  it('holds Send back with the reason: a blank option, or no text to go under', () => {
    let state = addButton(NO_BUTTONS, 'messenger', 'b_a');
    state = addButton(state, 'messenger', 'b_b');
    state = setButtonTitle(state, 'messenger', 0, 'Return it');
    expect(buttonsView(state, 'messenger', 'Return or keep?').problem).toBe(
      'Reply button 2 has no title.',
    );
    state = setButtonTitle(state, 'messenger', 1, ' Keep it ');
    expect(buttonsView(state, 'messenger', '  ').problem).toBe(
      'Write the message the buttons go under.',
    );
    expect(buttonsView(state, 'messenger', 'Return or keep?').problem).toBe(null);
    expect(outgoingButtons(state)).toEqual({
      replyButtons: [
        { id: 'b_a', title: 'Return it' },
        { id: 'b_b', title: 'Keep it' },
      ],
    });
    expect(removeButton(state, 0)).toEqual([{ id: 'b_b', title: ' Keep it ' }]);
    expect(outgoingButtons(NO_BUTTONS)).toEqual({});
  });

  it('shares its checks with the hub and mints ids the hub takes', () => {
    expect(checkReplyButtons('whatsapp', [{ id: 'b_1', title: 'Yes' }])).toBe(
      'WhatsApp messages take no reply buttons.',
    );
    let n = 0;
    const id = newReplyButtonId(() => ((n += 1) % 36) / 36);
    expect(id).toBe('b_123456789a');
    expect(/^[A-Za-z0-9_-]{1,64}$/.test(newReplyButtonId())).toBe(true);
  });
});

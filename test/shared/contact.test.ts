import { describe, expect, it } from 'vitest';
import { phoneE164, samePhone } from '../../src/shared/domain/contact';

describe('phoneE164', () => {
  it.each([
    ['+31 6 1234 5678', null, '+31612345678'],
    ['0031 (0)6-1234 5678', null, '+31612345678'],
    ['31612345678', null, '+31612345678'],
    ['06 1234 5678', 'NL', '+31612345678'],
    ['06 1234 5678', 'nl', '+31612345678'],
    ['030 123 4567', 'DE', '+49301234567'],
    ['(415) 555-0132', 'US', '+14155550132'],
    // Without a country a national spelling stays national: it still matches itself.
    ['06 1234 5678', null, '0612345678'],
    ['06 1234 5678', 'XX1', '0612345678'],
  ])('%s in %s → %s', (raw, country, want) => {
    expect(phoneE164(raw, country)).toBe(want);
  });

  it('is null for what is not a phone number', () => {
    expect(phoneE164('ann@example.com', 'NL')).toBe(null);
    expect(phoneE164('', 'NL')).toBe(null);
    expect(phoneE164(null)).toBe(null);
  });
});

describe('samePhone', () => {
  it('matches a national spelling in its country to the international one', () => {
    expect(samePhone('31612345678', '06-12345678', { b: 'NL' })).toBe(true);
    expect(samePhone('+14155550132', '415.555.0132', { b: 'US' })).toBe(true);
  });

  it('tells different lines and countries apart', () => {
    expect(samePhone('31612345678', '06-12345679', { b: 'NL' })).toBe(false);
    // The same national digits in Belgium are another number.
    expect(samePhone('31612345678', '06 1234 5678', { b: 'BE' })).toBe(false);
    expect(samePhone(null, null)).toBe(false);
  });
});

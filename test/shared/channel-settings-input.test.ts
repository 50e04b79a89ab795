import { describe, expect, it } from 'vitest';
import { checkFields } from '../../src/shared/protocol/field-errors';
import { channelSettingsInputSchema } from '../../src/shared/protocol/admin';

const schema = channelSettingsInputSchema([
  { name: 'token', label: 'Token', secret: true, required: true },
  {
    name: 'pageId',
    label: 'Page id',
    secret: false,
    required: true,
    pattern: { source: '^\\d+$', message: 'digits only' },
  },
  { name: 'note', label: 'Note', secret: false, required: false },
]);

describe('a connector’s settings input, from its SettingSpec', () => {
  it('takes any subset of its settings, trimmed', () => {
    expect(checkFields(schema, { token: '  12345678  ', pageId: '42' })).toEqual({
      ok: true,
      data: { token: '12345678', pageId: '42' },
    });
  });

  it('names each refused field: short secret, pattern, empty value, unknown name, nothing given', () => {
    expect(
      checkFields(schema, { token: 'short', pageId: '4x', note: '  ', graphUrl: 'http://x' }),
    ).toEqual({
      ok: false,
      fields: [
        { path: 'token', message: 'at least 8 characters' },
        { path: 'pageId', message: 'digits only' },
        { path: 'note', message: 'required' },
        { path: '', message: 'Unknown field: graphUrl' },
      ],
    });
    expect(checkFields(schema, {})).toEqual({
      ok: false,
      fields: [{ path: '', message: 'Give at least one setting.' }],
    });
    expect(checkFields(schema, { token: 'x'.repeat(1001) })).toEqual({
      ok: false,
      fields: [{ path: 'token', message: 'at most 1000 characters' }],
    });
  });
});

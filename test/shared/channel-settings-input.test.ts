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
  {
    name: 'key',
    label: 'Private key',
    secret: true,
    required: false,
    multiline: true,
    maxLength: 4000,
  },
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
      fields: [{ path: 'token', message: 'at most 1,000 characters' }],
    });
  });

  it('removes an optional setting with null, never a required one; a longer limit where declared', () => {
    expect(checkFields(schema, { note: null, key: null })).toEqual({
      ok: true,
      data: { note: null, key: null },
    });
    expect(checkFields(schema, { token: null, pageId: null })).toEqual({
      ok: false,
      fields: [
        { path: 'token', message: 'Required' },
        { path: 'pageId', message: 'Required' },
      ],
    });
    const pem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(1600)}\n-----END PRIVATE KEY-----`;
    expect(checkFields(schema, { key: `${pem}\n` })).toEqual({ ok: true, data: { key: pem } });
    expect(checkFields(schema, { key: 'x'.repeat(4001) })).toEqual({
      ok: false,
      fields: [{ path: 'key', message: 'at most 4,000 characters' }],
    });
  });
});

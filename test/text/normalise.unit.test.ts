import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/text/normalise.js';

describe('normalise', () => {
  it('reads German ß as the "ss" typed on keyboards without it', () => {
    expect(normalise('Ich weiß nicht')).toBe(normalise('ich weiss nicht'));
    expect(normalise('Straße')).toBe('strasse');
  });
});

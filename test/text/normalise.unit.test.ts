import { describe, expect, it } from 'vitest';
import { asciiDigits, normalise } from '../../src/text/normalise.js';

describe('normalise', () => {
  it('reads German ß as the "ss" typed on keyboards without it', () => {
    expect(normalise('Ich weiß nicht')).toBe(normalise('ich weiss nicht'));
    expect(normalise('Straße')).toBe('strasse');
  });
});

describe('asciiDigits', () => {
  it('reads Arabic-Indic, Persian, Devanagari and Bengali digits', () => {
    expect(asciiDigits('٣٤ ۱۲ ४ ৫')).toBe('34 12 4 5');
  });

  it('reads Ethiopic numerals from 1 to 99: a ten, a unit, or a ten then a unit', () => {
    expect(asciiDigits('፪')).toBe('2');
    expect(asciiDigits('፱')).toBe('9');
    expect(asciiDigits('፲')).toBe('10');
    expect(asciiDigits('፲፪')).toBe('12');
    expect(asciiDigits('፳')).toBe('20');
    expect(asciiDigits('፴፬')).toBe('34');
    expect(asciiDigits('፺፱')).toBe('99');
    expect(asciiDigits('እድሜዬ ፴፬ ነው')).toBe('እድሜዬ 34 ነው');
  });

  it('leaves a run of Ethiopic numerals that is not such a number as it is', () => {
    // Two units, two tens, a unit before a ten, and hundreds are no number from 1 to 99.
    for (const run of ['፪፫', '፲፲', '፪፲', '፻', '፻፳']) expect(asciiDigits(run)).toBe(run);
  });
});

const digitBlocks = [0x0660, 0x06f0, 0x0966, 0x09e6]; // Arabic-Indic, Persian, Devanagari, Bengali

/**
 * Ethiopic numerals (Amharic, Tigrinya) as ASCII digits, from 1 to 99: they have no zero and no
 * place value, but a sign for each ten (፲ 10, ፳ 20 ... ፺ 90, U+1372..U+137A) and one for each unit
 * (፩ 1 ... ፱ 9, U+1369..U+1371), so 34 is ፴፬, "thirty four". A run that is not a ten, a unit, or
 * a ten then a unit (፪፫, ፲፲, or one with ፻ 100 or ፼ 10000 in it) is left as it is: not a number.
 */
function ethiopicNumber(run: string): string {
  const parts = /^([\u1372-\u137a]?)([\u1369-\u1371]?)$/.exec(run);
  if (!parts) return run;
  const [, ten = '', unit = ''] = parts;
  const tens = ten ? ten.charCodeAt(0) - 0x1371 : 0;
  const units = unit ? unit.charCodeAt(0) - 0x1368 : 0;
  return String(tens * 10 + units);
}

/** Converts digits of other scripts to ASCII, so "٣" and "۳" read as 3, and Ethiopic "፲፪" as 12. */
export function asciiDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef]/g, (digit) => {
      const code = digit.charCodeAt(0);
      const block = digitBlocks.find((start) => code >= start && code <= start + 9) ?? code;
      return String(code - block);
    })
    .replace(/[\u1369-\u137c]+/g, ethiopicNumber);
}

/** Letters written differently across Arabic, Persian and Urdu keyboards, folded to one form. */
const arabicScriptVariants: Readonly<Record<string, string>> = { ي: 'ی', ى: 'ی', ې: 'ی', ك: 'ک', ہ: 'ه', ھ: 'ه', ة: 'ه' };

/** Latin letters that look like Cyrillic ones, typed inside a Cyrillic word (a Ukrainian "і" from a Latin keyboard layout). */
const cyrillicLookalikes: Readonly<Record<string, string>> = { a: 'а', c: 'с', e: 'е', i: 'і', o: 'о', p: 'р', x: 'х', y: 'у' };

/** A word written in Cyrillic with some Latin lookalikes ("дiвчинку", "сусiд") reads as all Cyrillic; a text without Cyrillic is left at once. */
function foldCyrillicLookalikes(text: string): string {
  if (!/\p{Script=Cyrillic}/u.test(text)) return text;
  return text.replace(/\S+/g, (word) =>
    /\p{Script=Cyrillic}/u.test(word) ? word.replace(/[aceiopxy]/g, (letter) => cyrillicLookalikes[letter] ?? letter) : word,
  );
}

/**
 * Folds text for matching typed answers against labels: case, accents, Arabic diacritics and
 * tatweel, Turkish dotless i, zero-width joiners ("نمی‌دانم" typed as "نمیدانم") and every other invisible
 * format character (bidi marks and isolates that phones insert around mixed-direction text, zero-width
 * spaces, byte-order marks, soft hyphens), letter variants of the Arabic script, Latin lookalikes inside a
 * Cyrillic word, punctuation and extra spaces do not matter.
 */
export function normalise(text: string): string {
  const lowered = asciiDigits(text)
    .normalize('NFKD')
    // Accents and Arabic vowel marks go; Bengali vowel signs are letters ("মারে", beats, is not "মরে", dies).
    .replace(/[^\P{M}\u0981-\u09fe]/gu, '')
    .replace(/[\u0640\p{Cf}]/gu, '')
    .replace(/[يىېكہھة]/g, (letter) => arabicScriptVariants[letter] ?? letter)
    .toLocaleLowerCase('und');
  return (
    foldCyrillicLookalikes(lowered)
      // Turkish dotless ı: "HAYIR" and "hayir" both mean the "Hayır" button.
      .replace(/ı/g, 'i')
      // German ß is typed "ss" on keyboards without it: "weiss nicht" is the "Ich weiß nicht" button.
      .replace(/ß/g, 'ss')
      // An apostrophe inside a word is dropped, not spaced: "don't" reads as the "dont" people type.
      .replace(/(?<=\p{L})['\u2019\u02bc\u02bb`](?=\p{L})/gu, '')
      .replace(/[\p{P}\p{S}\u02bb\u02bc]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

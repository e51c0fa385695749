import { describe, expect, it } from 'vitest';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('ckb');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

/**
 * Values interpolated into right-to-left texts come isolated (U+2068 ... U+2069). Amounts
 * (`{{amount, number}}`) are formatted by Intl in Arabic-Indic digits, as Sorani writes them; bare
 * `{{count}}`, `{{min}}` and `{{max}}` come in Arabic-Indic digits too.
 */
const iso = (value: string) => `\u2068${value}\u2069`;

const toAge: Step[] = [
  [{ type: 'start' }, ['سڵاو. ناوم «هۆموەرد»ە', 'دەتانەوێت بە کام زمان بەردەوام بین؟']],
  ['کوردی', ['پێش ئەوەی دەست پێبکەین، دەربارەی زانیارییەکانتان', 'ڕازین کە وەڵامەکانتان هەڵبگرین؟ [بەڵێ] [نەخێر]']],
  [
    'بەڵێ',
    [
      'ئێستا چەند پرسیارێک دەربارەی بارودۆختان دەکەم',
      'چونکە یارمەتی بۆ منداڵان و گەورەکان جیاوازە',
      'تەمەنتان چەندە؟ [کەمتر لە ١٦] [١٦ یان ١٧] [١٨ تا ٥٩] [٦٠ یان زیاتر] [نامەوێت بیڵێم]',
    ],
  ],
];

describe('Central Kurdish (Sorani) transcript', () => {
  it('walks the whole intake with typed Sorani answers, Arabic-Indic digits and country names', () => {
    const { state, messages, events } = play([
      ...toAge,
      // An age typed in Arabic-Indic digits picks its band; "are you safe now" comes right after age.
      ['٣٤', ['ئەگەر لە مەترسیدا بن', 'ئایا کەسێک ئازارتان دەدات']],
      ['نەخێر', ['ئێستا لە کام وڵاتن؟ [ئەڵمانیا] [ھۆڵەندا] [بەلژیک] [فەڕەنسا] [نەمسا] [نازانم] [نامەوێت بیڵێم]']],
      // Typed on a Persian keyboard, ل for ڵ: a country name tolerates the letter.
      ['ئەلمانیا', ['نووسینگەیەکی نزیکتان', 'ئێستا لە کام شار یان شارۆچکە دەژین؟']],
      ['نامەوێت بیڵێم', ['هەندێک وڵاتی دیاریکراون', 'هاووڵاتیی کام وڵاتن؟']],
      ['عێراق', ['لەوانەیە بگەڕێنەوە بۆ کام وڵات؟']],
      ['نازانم', ['پەیوەستە بە بارودۆختانەوە', 'ئێستا بارودۆختان لەم وڵاتە چییە؟']],
      ['داواکاریی پەنابەرییەکەم ڕەتکرایەوە', ['تەنها پێش ئەو بەروارە دەکرێت', 'ئایا بەروارێکتان پێدراوە']],
      ['بەڵێ', ['بەروارەکە چییە؟']],
      ['٣١.٠٢.٢٠٢٧', ['تکایە بەرواری زایینی بەم شێوەیە بنووسن', 'بەروارەکە چییە؟']],
      ['١٥.٠١.٢٠٢٧', ['چەند کەسی گەورە']],
      // A word that is no number ("many") is asked again in digits (number words are read: typed-answers.test.ts).
      ['زۆر', ['تکایە ژمارەیەک بنووسن', 'چەند کەسی گەورە']],
      // {{min}} and {{max}} come in the digits of the language, isolated.
      ['٢٥', [`تکایە ژمارەیەک لە ${iso('١')} تا ${iso('٢٠')} بنووسن.`, 'چەند کەسی گەورە']],
      ['٢', ['چەند منداڵی خوار ١٨ ساڵ لەگەڵتان سەفەر دەکەن؟']],
      ['3', ['بۆ منداڵانی بچووکتر جیاوازە', 'تەمەنی منداڵەکان چەندە؟']],
      ['نازانم', ['بۆچی دەپرسین', 'ئایا هیچ کام لەمانە بۆ ئێوە']],
      ['نەخۆشییەک، یان پێویستی بە چارەسەری پزیشکی', [`تۆمار کرا (${iso('١')} دانە هەڵبژێردرا)`, 'ئایا هیچ کام لەمانە']],
      ['سکپڕی', [`تۆمار کرا (${iso('٢')} دانە هەڵبژێردران)`, 'ئایا هیچ کام لەمانە']],
      ['تەواو', ['تەنها یەک جار', 'ئایا پێشتر هیچ کات یارمەتیتان لە بەرنامەیەک وەرگرتووە']],
      ['نەخێر', ['ناتوانن یارمەتیی کەسانێک بدەن کە دەستبەسەرن', 'ئایا ئێستا دەستبەسەرن یان لە زینداندان؟']],
      ['نەخێر', ['ئایا کەسێک فشارتان دەخاتە سەر بۆ ئەوەی بگەڕێنەوە؟']],
      ['نەخێر', ['چ یارمەتییەک بۆ ئێوە گرنگە؟']],
      ['سەفەر و بلیت', [`تۆمار کرا (${iso('١')} دانە هەڵبژێردرا)`, 'چ یارمەتییەک']],
      ['٥', [`تۆمار کرا (${iso('٢')} دانە هەڵبژێردران)`, 'چ یارمەتییەک']],
      ['تەواو', ['پرسیارێکی کۆتایی']],
      [
        'بیری دایک و باوکم دەکەم',
        [
          'ئەمە ئەوەیە کە لە وەڵامەکانتانەوە دۆزیمەوە',
          'پێش ئەوەی هیچ بڕیارێک بدەن:',
          'دەتانەوێت لەگەڵ ڕاوێژکارێک قسە بکەن؟ [بەڵێ، دەمەوێت لەگەڵ کەسێک قسە بکەم] [نەخێر، ئێستا نا] [زیاتر دەربارەی REAG/GARP]',
        ],
        'among',
      ],
      [
        'زیاتر دەربارەی REAG/GARP',
        [
          // Amounts are formatted by Intl in Arabic-Indic digits, with the Arabic thousands separator U+066C.
          `بۆ خێزانەکەتان، ئەمە دەکرێت سەرجەم تا ${iso('٦\u066c٢٠٠')} یۆرۆ بێت`,
          'دەتانەوێت لەگەڵ ڕاوێژکارێک قسە بکەن؟',
        ],
        'among',
      ],
      ['نەخێر', ['سوپاس بۆ کاتەکەتان']],
    ]);
    expect(state.answers).toMatchObject({
      language: 'ckb',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'prefer_not_to_say',
      nationality: 'IQ',
      returnCountry: 'unknown',
      legalStatus: 'asylum_rejected',
      hasDepartureDeadline: 'yes',
      departureDeadline: '2027-01-15',
      householdAdults: 2,
      householdMinors: 3,
      minorAges: 'unknown',
      safetyConcern: 'no',
      vulnerabilities: ['medical_needs', 'pregnant'],
      priorReturnAssistance: 'no',
      detained: 'no',
      pressured: 'no',
      wishes: ['travel', 'business'],
      wantsCounsellor: 'no',
    });
    expect(events).toContainEqual({ type: 'consent', granted: true, noticeVersion: '2026-11-v1' });
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('speaks to a child in the child register', () => {
    play([
      ...toAge,
      ['١٥', ['دەتوانم باسی ئەو یارمەتییەت بۆ بکەم', 'ئەمە لە هەموو کەسێک دەپرسین', 'ئایا کەسێک ئازارت دەدات یان دەتترسێنێت؟']],
      ['نەخێر', ['چونکە تەمەنت لە ١٨ کەمترە، کەسێک کە یارمەتیی گەنجان دەدات دەتوانێت لەگەڵت قسە بکات. دەتەوێت ئێستا لەگەڵ ئەو کەسە قسە بکەیت؟ [بەڵێ] [نەخێر]']],
    ]);
  });

  it('understands typed Sorani intents, and danger inside a sentence in the Arabic script and in Latin letters', () => {
    play([...toAge, ['یارمەتی', ['دەتوانن بە دوگمەکان وەڵام بدەنەوە', 'تەمەنتان چەندە؟']]]);
    const handoff = play([...toAge, ['دەمەوێت لەگەڵ کەسێک قسە بکەم', ['داوا لە ڕاوێژکارێک دەکەم']]]);
    expect(handoff.events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
    // Danger heard inside a sentence: the questions stop until the person taps "continue".
    for (const danger of ['تکایە یارمەتیم بدەن مێردەکەم هەموو ڕۆژێک لێم دەدات', 'itr natwanm dmawe xom bkujm']) {
      const safety = play([...toAge, [danger, ['[بەردەوامبوون لەگەڵ پرسیارەکان]'], 'among'], ['بەردەوامبوون لەگەڵ پرسیارەکان', ['تەمەنتان چەندە؟']]]);
      expect(safety.events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }));
    }
  });

  it('is chosen by the names people type for it', () => {
    for (const name of ['سۆرانی', 'sorani', 'کوردی سۆرانی']) {
      const { state } = play([
        [{ type: 'start' }, ['سڵاو', 'دەتانەوێت بە کام زمان']],
        [name, ['پێش ئەوەی دەست پێبکەین', 'ڕازین کە وەڵامەکانتان هەڵبگرین؟']],
      ]);
      expect(state.answers).toMatchObject({ language: 'ckb' });
    }
    expect(transcripts.localisation.choose(['ckb-IQ'], 'en')).toBe('ckb');
  });
});

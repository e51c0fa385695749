import { describe, expect, it } from 'vitest';
import { countryFromText } from '../../src/text/countries.js';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('am');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

const ageQuestion = 'ዕድሜዎ ስንት ነው? [ከ16 በታች] [16 ወይም 17] [18 እስከ 59] [60 ወይም ከዚያ በላይ] [መመለስ አልፈልግም]';
const hostCountryQuestion = 'አሁን በየትኛው አገር ነው ያሉት? [ጀርመን] [ኔዘርላንድ] [ቤልጄም] [ፈረንሳይ] [ኦስትሪያ] [አላውቅም] [መመለስ አልፈልግም]';
const counsellorSent = 'አንድ አማካሪ ይህን ቻት እንዲቀላቀል እየጠየቅሁ ነው። አንድ ሰው እዚሁ ይመልስልዎታል።';

const toAge: Step[] = [
  [{ type: 'start' }, ['ሰላም። እኔ Homeward ነኝ', 'የትኛውን ቋንቋ መጠቀም ይፈልጋሉ? [English] [አማርኛ]']],
  ['አማርኛ', ['ከመጀመራችን በፊት፣ ስለ መረጃዎ', 'መልሶችዎን እንድናስቀምጥ ይስማማሉ? [አዎ] [አይ]']],
  ['አዎ', ['አንዳንድ ጥያቄዎችን እጠይቃለሁ', 'እርዳታው ለልጆች እና ለአዋቂዎች የተለያየ ስለሆነ', ageQuestion]],
];

describe('Amharic transcript', () => {
  it('knows the country names the person types: Amharic from ICU, English, or the code', () => {
    expect(countryFromText('ጀርመን', 'am')).toBe('DE');
    expect(countryFromText('ኢትዮጵያ', 'am')).toBe('ET');
    expect(countryFromText('Ethiopia', 'am')).toBe('ET');
    expect(countryFromText('ET', 'am')).toBe('ET');
  });

  it('walks the whole intake with typed Amharic answers, numbers and country names', () => {
    const { state, messages, events } = play([
      ...toAge,
      // An age typed as a number picks its band; "are you safe now" comes right after age.
      ['35', ['አደጋ ላይ ከሆኑ በፍጥነት እርዳታ', 'የሚጎዳዎት፣ የሚያስፈራራዎት']],
      ['አይ', [hostCountryQuestion]],
      ['የሌለ አገር', ['ያንን አገር ማግኘት አልቻልኩም', hostCountryQuestion]],
      ['ጀርመን', ['በአቅራቢያዎ ስላለ ቢሮ', 'አሁን በየትኛው ከተማ ነው የሚኖሩት? [መመለስ አልፈልግም]']],
      // "a town with no danger" names danger, but is not "I am in danger": no safety alarm.
      ['አደጋ የሌለበት ከተማ', ['ከተወሰኑ አገሮች ለመጡ ሰዎች', 'የየትኛው አገር ዜጋ ነዎት? [አላውቅም] [መመለስ አልፈልግም]']],
      ['ኢትዮጵያ', ['ምናልባት ወደ የትኛው አገር ሊመለሱ ይችላሉ?']],
      ['Ethiopia', ['በሁኔታዎ ላይ የተመሠረተ ነው', 'አሁን በዚህ አገር ያለዎት ሁኔታ ምንድን ነው? [ጥገኝነት ጠይቄ ውሳኔውን እየጠበቅሁ ነው] [የጥገኝነት ማመልከቻዬ ውድቅ ተደርጓል]']],
      // A typed part of one label is taken as that label.
      ['ማመልከቻዬ ውድቅ ተደርጓል', ['ከዚያ ቀን በፊት ብቻ', 'አገሩን ለቅቀው መውጣት ያለብዎት ቀን ተሰጥቶዎታል? [አዎ] [አይ] [አላውቅም] [መመለስ አልፈልግም]']],
      ['አዎ', ['ቀኑ መቼ ነው? እባክዎ በአውሮፓውያን አቆጣጠር']],
      ['31.02.2027', ['እባክዎ ቀኑን በአውሮፓውያን አቆጣጠር እንዲህ ብለው ይጻፉ', 'ቀኑ መቼ ነው?']],
      ['15.01.2027', ['እርስዎን ጨምሮ ስንት አዋቂዎች (18 ዓመት ወይም ከዚያ በላይ) ይጓዛሉ?']],
      // A word that is no number ("many"), or Ethiopic numerals that make no number (two units), is
      // asked again in digits (number words are read: typed-answers.test.ts); Ethiopic ፳፭ is 25, ፪ is 2.
      ['ብዙ', ['እባክዎ ቁጥር ይጻፉ', 'ስንት አዋቂዎች']],
      ['፪፫', ['እባክዎ ቁጥር ይጻፉ', 'ስንት አዋቂዎች']],
      ['፳፭', ['ከ1 እስከ 20 ያለ ቁጥር', 'ስንት አዋቂዎች']],
      ['፪', ['ከ18 ዓመት በታች የሆኑ ስንት ልጆች ከእርስዎ ጋር ይጓዛሉ?']],
      ['1', ['ለትናንሽ ልጆች የተለየ ነው', 'ልጆቹ ስንት ዓመታቸው ነው?']],
      ['አላውቅም', ['ለምን እንደምንጠይቅ', 'ከእነዚህ ውስጥ እርስዎን ወይም ከእርስዎ ጋር የሚጓዝን ሰው የሚመለከት አለ?']],
      ['ሕመም', ['(1 ተመርጧል)', 'ከእነዚህ ውስጥ']],
      ['እርግዝና', ['(2 ተመርጠዋል)', 'ከእነዚህ ውስጥ']],
      ['ጨርሻለሁ', ['አንድ ጊዜ ብቻ ነው', 'ከዚህ በፊት ወደ አገርዎ ለመመለስ ከአንድ ፕሮግራም እርዳታ አግኝተው ያውቃሉ?']],
      ['አይ', ['በማቆያ ውስጥ እያሉ', 'አሁን በማቆያ ወይም በእስር ቤት ውስጥ ነዎት?']],
      ['አይ', ['እንዲመለሱ ጫና የሚያደርግብዎት ሰው አለ?']],
      ['አይ', ['ለእርስዎ ምን ዓይነት እርዳታ አስፈላጊ ነው?']],
      ['ጉዞ እና ትኬት', ['(1 ተመርጧል)', 'ምን ዓይነት እርዳታ']],
      ['ጨርሻለሁ', ['አንድ የመጨረሻ ጥያቄ']],
      [
        'ቤተሰቤ ናፍቆኛል',
        [
          'ከመልሶችዎ ያገኘሁት ይህ ነው። ይህ አጠቃላይ መረጃ እንጂ ውሳኔ አይደለም።',
          'ምንም ከመወሰንዎ በፊት፦',
          'ከአማካሪ ጋር መነጋገር ይፈልጋሉ? [አዎ፣ ከሰው ጋር መነጋገር እፈልጋለሁ] [አይ፣ አሁን አይደለም] [ስለ REAG/GARP ተጨማሪ] [ስለ StarthilfePlus ተጨማሪ]',
        ],
        'among',
      ],
      ['ስለ REAG/GARP ተጨማሪ', ['ለቤተሰብዎ፣ ይህ በአጠቃላይ እስከ', 'ከአማካሪ ጋር መነጋገር ይፈልጋሉ?'], 'among'],
      [{ type: 'choice', value: 'more:de-starthilfeplus', node: 'offer' }, ['እንዲወጡ ከተነገረዎት ቀን በፊት', 'ከአማካሪ ጋር መነጋገር ይፈልጋሉ?'], 'among'],
      ['አይ', ['ጊዜዎን ስለሰጡን እናመሰግናለን']],
    ]);
    expect(state.answers).toMatchObject({
      language: 'am',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'አደጋ የሌለበት ከተማ',
      nationality: 'ET',
      returnCountry: 'ET',
      legalStatus: 'asylum_rejected',
      departureDeadline: '2027-01-15',
      householdAdults: 2,
      householdMinors: 1,
      minorAges: 'unknown',
      safetyConcern: 'no',
      vulnerabilities: ['medical_needs', 'pregnant'],
      priorReturnAssistance: 'no',
      detained: 'no',
      pressured: 'no',
      wishes: ['travel'],
      inTheirWords: 'ቤተሰቤ ናፍቆኛል',
      wantsCounsellor: 'no',
    });
    expect(events.filter((event) => event.type === 'handoff_requested')).toEqual([]);
    // Ethiopia is not a partner country of Perspektive Heimat: the summary says a counsellor can find out what exists there.
    const t = transcripts.t('am');
    const summary = messages.find((message) => message.key === 'eligibility:explain.summary');
    expect(t(summary?.key ?? '', summary?.params)).toContain(t('eligibility:explain.return_country_ask', { country: 'ET' }));
    expect(t('eligibility:explain.return_country_ask', { country: 'ET' })).toContain('በኢትዮጵያ');
    expect(explainedOutcomes(messages)).toEqual([
      { programme: 'de-perspektive-heimat', outcome: 'not_eligible' },
      { programme: 'de-reag-garp', outcome: 'eligible' },
      { programme: 'de-starthilfeplus', outcome: 'eligible' },
    ]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('understands typed requests in Amharic and Latin-letter Amharic: help, questions, danger, a person', () => {
    const { state, events } = play([
      ...toAge,
      ['እርዳታ', ['«ከሰው ጋር መነጋገር»፣ «ቋንቋ»፣ «እንደገና መጀመር» ወይም «መረጃዬን አጥፉ»', ageQuestion]],
      ['ጥያቄዎች', ['የተለመዱ ጥያቄዎች መልሶች እነሆ። አንድ ርዕስ ይንኩ፣ ወይም «ወደ ጥያቄዎቹ መመለስ» የሚለውን ይንኩ። [በፈቃደኝነት መመለስ ምንድን ነው?]']],
      ['በፈቃደኝነት', ['እዚህ ማንም እንዲመለሱ አይገፋፋዎትም', 'የተለመዱ ጥያቄዎች መልሶች እነሆ']],
      ['ወደ ጥያቄዎቹ መመለስ', [ageQuestion]],
      // "Please help me, my husband beats me": heard inside a sentence; the questions stop (the numbers come from the handoff).
      ['እባካችሁ እርዱኝ ባሌ ይደበድበኛል', ['[በጥያቄዎቹ መቀጠል]']],
      ['ከሰው ጋር መነጋገር', [counsellorSent]],
      ['kesew gar menegager', [counsellorSent]],
      // The flow waits where it was: after "continue", the age question is still open.
      ['በጥያቄዎቹ መቀጠል', [ageQuestion]],
      ['60 ወይም ከዚያ በላይ', ['አደጋ ላይ ከሆኑ በፍጥነት እርዳታ', 'የሚጎዳዎት፣ የሚያስፈራራዎት']],
      ['አይ', [hostCountryQuestion]],
      // "Will they arrest me at Bole airport?": a question about return, answered honestly, not an alarm.
      ['ቦሌ ኤርፖርት ላይ ያስሩኛል እንዴ', ['ቃል ልገባልዎት አልችልም', 'ስለዚህ ጉዳይ ከአማካሪ ጋር መነጋገር ይፈልጋሉ፣ ወይስ በጥያቄዎቹ መቀጠል? [ከሰው ጋር መነጋገር] [በጥያቄዎቹ መቀጠል]']],
    ]);
    expect(events.filter((event) => event.type === 'handoff_requested')).toEqual([
      expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }),
      { type: 'handoff_requested', reason: 'client_request' },
      { type: 'handoff_requested', reason: 'client_request' },
    ]);
    expect(state.answers).toMatchObject({ ageBand: '60+', safetyConcern: 'no' });
  });

  it('speaks simply to a child travelling alone, in Amharic too', () => {
    const { events, state } = play([
      ...toAge,
      ['ከ16 በታች', ['ሰላም። እኔ Homeward ነኝ', 'አደጋ ላይ ከሆኑ', 'የሚጎዳችሁ ወይም የሚያስፈራችሁ ሰው አለ?']],
      ['አይ', ['ዕድሜያችሁ ከ18 በታች ስለሆነ፣ ወጣቶችን የሚረዳ ሰው ሊያነጋግራችሁ ይችላል። አሁን ከዚህ ሰው ጋር መነጋገር ትፈልጋላችሁ? [አዎ] [አይ]']],
      ['አይ', ['ደህና መሆናችሁን', 'እዚህ ያላችሁት ያለ ወላጆቻችሁ ወይም ያለ ሌላ የቤተሰባችሁ አዋቂ ሰው ነው?']],
      ['አዎ', ['ምንም ጥፋት አላጠፋችሁም', 'አሁን በየትኛው አገር ናችሁ?']],
      ['ጀርመን', ['አሳዳጊያችሁ', 'አሁን በየትኛው ከተማ ናችሁ?']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
    expect(state.answers).toMatchObject({ ageBand: '0-15', audience: 'child', unaccompaniedMinor: 'yes', hostCountry: 'DE' });
  });
});

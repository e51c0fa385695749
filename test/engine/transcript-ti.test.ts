import { describe, expect, it } from 'vitest';
import { countryFromText } from '../../src/text/countries.js';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('ti');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

const ageQuestion = 'ዕድመኹም ክንደይ እዩ? [ትሕቲ 16] [16 ወይ 17] [ካብ 18 ክሳብ 59] [60 ወይ ልዕሊኡ] [ክምልስ ኣይደልን]';
const hostCountryQuestion = 'ሕጂ ኣብ ኣየናይ ሃገር ኣለኹም? [ጀርመን] [ኔዘርላንድ] [ቤልጅዩም] [ፈረንሳ] [ኦስትርያ] [ኣይፈልጥን] [ክምልስ ኣይደልን]';

const toAge: Step[] = [
  [{ type: 'start' }, ['ሰላም። ኣነ Homeward እየ', 'ብኣየናይ ቋንቋ ክትጥቀሙ ትደልዩ? [English]']],
  ['ትግርኛ', ['ቅድሚ ምጅማርና፣ ብዛዕባ ሓበሬታኹም', 'መልስታትኩም ክንዕቅቦ ትሰማምዑ ዶ? [እወ] [ኣይፋል]']],
  ['እወ', ['ገለ ሕቶታት ክሓተኩም እየ', 'ሓገዝ ንቖልዑን ንዓበይትን ስለ ዝፈላለ', ageQuestion]],
];

describe('Tigrinya transcript', () => {
  it('knows the country names the person types: Tigrinya from ICU, English, or the code', () => {
    expect(countryFromText('ጀርመን', 'ti')).toBe('DE');
    expect(countryFromText('ኤርትራ', 'ti')).toBe('ER');
    expect(countryFromText('ኢትዮጵያ', 'ti')).toBe('ET');
    expect(countryFromText('Ethiopia', 'ti')).toBe('ET');
    expect(countryFromText('ER', 'ti')).toBe('ER');
    // Lower-case two letters are words ("no", Albanian "jo"), not codes.
    expect(countryFromText('no', 'en')).toBeUndefined();
  });

  it('walks the whole intake with typed Tigrinya answers, numbers and country names', () => {
    const { state, messages, events } = play([
      ...toAge,
      // A typed part of one label is taken as that label ("18 ክሳብ 59" for "ካብ 18 ክሳብ 59").
      // "Are you safe now" comes right after age.
      ['18 ክሳብ 59', ['ኣብ ሓደጋ እንተ ኣለኹም', 'ዝጎድኣኩም፣ ዘፈራርሓኩም']],
      ['ኣይፋል', [hostCountryQuestion]],
      ['ዓዲ ዘይብሉ', ['ነዛ ሃገር ክረኽባ ኣይከኣልኩን', hostCountryQuestion]],
      ['ጀርመን', ['ኣብ ጥቓኹም ዘሎ ቤት ጽሕፈት', 'ሕጂ ኣብ ኣየናይ ከተማ ወይ ዓዲ ትነብሩ? [ክምልስ ኣይደልን]']],
      // "in a place with no danger" names danger, but is not "I am in danger": no safety alarm.
      ['ኣብ ሓደጋ ዘይብሉ ከተማ', ['ካብ ፍሉያት ሃገራት', 'ዜግነትኩም ናይ ኣየናይ ሃገር እዩ? [ኣይፈልጥን] [ክምልስ ኣይደልን]']],
      ['ኤርትራ', ['ምናልባት ናብ ኣየናይ ሃገር ክትምለሱ ትኽእሉ?']],
      ['Ethiopia', ['ኣብ ኩነታትኩም ይምርኮስ', 'ሕጂ ኣብዚ ሃገር ኩነታትኩም እንታይ እዩ? [ዑቕባ ሓቲተ ውሳኔ እጽበ ኣለኹ] [ሕቶ ዑቕባይ ተነጺጉ]']],
      ['ሕቶ ዑቕባይ ተነጺጉ', ['ቅድሚ እታ ዕለት ጥራይ', 'ነዚ ሃገር ክትገድፉ ዘለኩም ዕለት ተዋሂቡኩም ዶ? [እወ] [ኣይፋል] [ኣይፈልጥን] [ክምልስ ኣይደልን]']],
      ['እወ', ['እታ ዕለት መዓስ እያ?']],
      ['31.02.2027', ['በጃኹም ዕለት ከምዚ ጽሓፉ', 'እታ ዕለት መዓስ እያ?']],
      ['15.01.2027', ['ክንደይ ዓበይቲ (18 ዓመት ወይ ልዕሊኡ) ክጐዓዙ እዮም?']],
      // Ethiopic numerals that make no number (two units) are asked again; ፳፭ is 25, ፪ is 2.
      ['ብዙሕ', ['በጃኹም ቁጽሪ ጽሓፉ', 'ክንደይ ዓበይቲ']],
      ['፪፫', ['በጃኹም ቁጽሪ ጽሓፉ', 'ክንደይ ዓበይቲ']],
      ['፳፭', ['ካብ 1 ክሳብ 20 ዘሎ ቁጽሪ', 'ክንደይ ዓበይቲ']],
      ['፪', ['ክንደይ ቆልዑ ምሳኹም ክጐዓዙ እዮም?']],
      ['1', ['ንንኣሽቱ ቆልዑ ዝተፈልየ', 'ቆልዑ ዕድሚኦም ክንደይ እዩ?']],
      ['ኣይፈልጥን', ['ስለምንታይ ንሓትት', 'ካብዚኦም ዝኾነ ንዓኹም ወይ ምሳኹም ንዝጐዓዝ ሰብ ይምልከት ዶ?']],
      ['ሕማም', ['(1 ተመሪጹ)', 'ካብዚኦም ዝኾነ']],
      ['ጥንሲ', ['(2 ተመሪጾም)', 'ካብዚኦም ዝኾነ']],
      ['ወዲአ', ['ሓንሳብ ጥራይ', 'ቅድሚ ሕጂ ናብ ሃገርኩም ንምምላስ ካብ መደብ ሓገዝ ረኺብኩም ትፈልጡ ዶ?']],
      ['ኣይፋል', ['ተታሒዞም ከለዉ', 'ሕጂ ተታሒዝኩም ወይ ኣብ ቤት ማእሰርቲ ዲኹም ዘለኹም?']],
      ['ኣይፋል', ['ክትምለሱ ዝጸቕጠኩም ሰብ ኣሎ ዶ?']],
      ['ኣይፋል', ['ኣየናይ ሓገዝ ኣገዳሲ ምዀነልኩም?']],
      ['ጉዕዞን ትኬትን', ['(1 ተመሪጹ)', 'ኣየናይ ሓገዝ']],
      ['ወዲአ', ['ናይ መወዳእታ ሓደ ሕቶ']],
      [
        'ስድራይ ይናፍቁኒ',
        [
          'ካብ መልስታትኩም ዝረኸብክዎ እዚ እዩ። እዚ ሓፈሻዊ ሓበሬታ እዩ፣ ውሳኔ ኣይኮነን።',
          'ቅድሚ ዝኾነ ነገር ምውሳንኩም:',
          'ምስ ኣማኻሪ ክትዛረቡ ትደልዩ ዶ? [እወ፣ ምስ ሰብ ክዛረብ እደሊ] [ኣይፋል፣ ሕጂ ኣይኮነን] [ዝያዳ ሓበሬታ: REAG/GARP] [ዝያዳ ሓበሬታ: StarthilfePlus]',
        ],
      ],
      ['ዝያዳ ሓበሬታ: REAG/GARP', ['ንስድራኹም፣ እዚ ብድምር ክሳብ', 'ምስ ኣማኻሪ ክትዛረቡ ትደልዩ ዶ?']],
      [{ type: 'choice', value: 'more:de-starthilfeplus', node: 'offer' }, ['ቅድሚ እታ ክትወጹ ዝተነግረኩም ዕለት', 'ምስ ኣማኻሪ ክትዛረቡ ትደልዩ ዶ?']],
      ['ኣይፋል', ['ግዜኹም ስለ ዝሃብኩምና']],
    ]);
    expect(state.answers).toMatchObject({
      language: 'ti',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'ኣብ ሓደጋ ዘይብሉ ከተማ',
      nationality: 'ER',
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
      inTheirWords: 'ስድራይ ይናፍቁኒ',
      wantsCounsellor: 'no',
    });
    expect(events.filter((event) => event.type === 'handoff_requested')).toEqual([]);
    // Ethiopia is not a partner country of Perspektive Heimat: the summary says a counsellor can find out what exists there.
    const t = transcripts.t('ti');
    const summary = messages.find((message) => message.key === 'eligibility:explain.summary');
    expect(t(summary?.key ?? '', summary?.params)).toContain(t('eligibility:explain.return_country_ask', { country: 'ET' }));
    expect(explainedOutcomes(messages)).toEqual([
      { programme: 'de-perspektive-heimat', outcome: 'not_eligible' },
      { programme: 'de-reag-garp', outcome: 'eligible' },
      { programme: 'de-starthilfeplus', outcome: 'eligible' },
    ]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('understands typed requests in Tigrinya and Latin Tigrinya: help, questions, danger, a person', () => {
    const { state, events } = play([
      ...toAge,
      ['ሓገዝ', ['«ምስ ሰብ ክዛረብ»፣ «ቋንቋ»፣ «እንደገና ምጅማር» ወይ «ሓበሬታይ ደምስሱ»', ageQuestion]],
      ['ሕቶታት', ['ንተደጋገምቲ ሕቶታት ዝኾኑ መልስታት እዮም። ሓደ ኣርእስቲ ጠውቑ፣ ወይ «ናብ ሕቶታት ተመለሱ» ጠውቑ። [ብወለንታ ምምላስ እንታይ ማለት እዩ?]']],
      ['ብወለንታ', ['ኣብዚ ክትምለሱ ዘገድደኩም ሰብ የለን', 'ንተደጋገምቲ ሕቶታት ዝኾኑ መልስታት እዮም']],
      ['ናብ ሕቶታት ተመለሱ', [ageQuestion]],
      // "Help me, my husband beats me": heard inside a sentence; the questions stop (the numbers come from the handoff).
      ['ሓግዙኒ፣ ሰብኣየይ ይወቕዓኒ እዩ', ['[ሕቶታት ቀጽል]']],
      ['ምስ ሰብ ክዛረብ', ['ሓደ ኣማኻሪ ናብዚ ቻት ክኣቱ እሓትት ኣለኹ።']],
      ['mis seb kizareb', ['ሓደ ኣማኻሪ ናብዚ ቻት ክኣቱ እሓትት ኣለኹ።']],
      // The flow waits where it was: after "continue", the age question is still open.
      ['ሕቶታት ቀጽል', [ageQuestion]],
      ['60 ወይ ልዕሊኡ', ['ኣብ ሓደጋ እንተ ኣለኹም', 'ዝጎድኣኩም፣ ዘፈራርሓኩም']],
    ]);
    expect(events.filter((event) => event.type === 'handoff_requested')).toEqual([
      expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }),
      { type: 'handoff_requested', reason: 'client_request' },
      { type: 'handoff_requested', reason: 'client_request' },
    ]);
    expect(state.answers).toMatchObject({ ageBand: '60+' });
  });

  it('speaks simply to a child travelling alone, in Tigrinya too', () => {
    const { events, state } = play([
      ...toAge,
      ['ትሕቲ 16', ['ሰላም። ኣነ Homeward', 'ኣብ ሓደጋ እንተ ኣለኹም', 'ዝጎድኣኩም ወይ ዘፍርሓኩም ሰብ ኣሎ ዶ?']],
      ['ኣይፋል', ['ዕድመኹም ትሕቲ 18 ስለ ዝኾነ፣ ንመንእሰያት ዝሕግዝ ሰብ ምሳኹም ክዛረብ ይኽእል እዩ። ሕጂ ምስዚ ሰብ ክትዛረቡ ትደልዩ ዶ? [እወ] [ኣይፋል]']],
      ['ኣይፋል', ['ብሰላም ከም ዘለኹምን', 'ኣብዚ ብዘይ ወለድኹም ወይ ብዘይ ካልእ ዓቢ ሰብ ካብ ስድራኹም ዲኹም ዘለኹም?']],
      ['እወ', ['ዝገበርኩምዎ ጌጋ የለን', hostCountryQuestion]],
      ['ER', ['ሞግዚት', 'ሕጂ ኣብ ኣየናይ ከተማ ወይ ዓዲ ኣለኹም?']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
    expect(state.answers).toMatchObject({ ageBand: '0-15', audience: 'child', unaccompaniedMinor: 'yes', hostCountry: 'ER' });
  });
});

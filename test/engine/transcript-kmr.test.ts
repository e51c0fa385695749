import { describe, expect, it } from 'vitest';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('en');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

/** Welcome in English, the language chosen by typing its name without the hat ("kurdi" alone also names Sorani), consent typed as "ere": the bot asks the age. */
const toAgeInKurmanji: Step[] = [
  [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use?']],
  ['kurmanci', ['Berî ku em dest pê bikin, li ser agahiyên we', 'Hûn razî ne ku em bersivên we biparêzin? [Erê] [Na]']],
  [
    'ere',
    [
      'Ez ê niha çend pirsan li ser rewşa we bipirsim',
      'alîkarî ji bo zarokan û ji bo mezinan ne wek hev e',
      'Hûn çend salî ne? [Kêmtir ji 16 salî] [16 an 17 salî] [18 heta 59 salî] [60 salî an zêdetir] [Naxwazim bibêjim]',
    ],
  ],
];

describe('Northern Kurdish (Kurmanji) transcript', () => {
  it('walks the whole intake with Kurmanji answers typed with and without the hats', () => {
    const { state, messages, events } = play([
      ...toAgeInKurmanji,
      // "Are you safe now" comes right after age.
      ['18 heta 59', ['heke hûn di xetereyê de bin', 'Gelo kesek zirarê dide we']],
      ['na', ['Hûn niha li kîjan welatî ne? [Almanya] [Holanda] [Belçîka] [Fransa] [Awistirya] [Nizanim] [Naxwazim bibêjim]']],
      ['almanya', ['nivîsgeheke nêzîkî we', 'Hûn niha li kîjan bajar an gundî dijîn?']],
      // Typed without the hats, as phones often do.
      ['naxwazim bibejim', ['Hin bername tenê ji bo kesên ji hin welatan in', 'Hûn hemwelatiyê kîjan welatî ne?']],
      ['suriye', ['Dibe ku hûn vegerin kîjan welatî?']],
      ['nizanim', ['bi rewşa we ve girêdayî ye', 'Rewşa we niha li vî welatî çi ye?']],
      ['daxwaza min a penaberiye hat redkirin', ['tenê berî wê dîrokê gengaz e', 'Ji we re dîrokek hatiye dayîn']],
      ['erê', ['Ew dîrok çi ye? Ji kerema xwe wê wiha binivîsin: 31.12.2026.']],
      ['31.02.2027', ['Ji kerema xwe dîrokê wiha binivîsin', 'Ew dîrok çi ye?']],
      ['15.01.2027', ['Çend kesên mezin (18 salî an mezintir)']],
      // A word that is no number ("many"): the bot asks for digits (number words are read: typed-answers.test.ts).
      ['gelek', ['Ji kerema xwe hejmarekê binivîsin, bo nimûne 2.', 'Çend kesên mezin']],
      ['25', ['Ji kerema xwe hejmarekê ji 1 heta 20 binivîsin.', 'Çend kesên mezin']],
      ['2', ['Çend zarokên di bin 18 salî de dê bi we re rêwîtiyê bikin?']],
      ['3', ['ji bo zarokên biçûktir cuda ye', 'Zarok çend salî ne?']],
      ['nizanim', ['Çima em dipirsin', 'Gelo yek ji van li we']],
      // Multi-select: a label typed without hats, a tap, then "qediya".
      ['nexwesiyek an hewcedariya lenerina tenduristiye', ['(1 hat hilbijartin)', 'Gelo yek ji van']],
      [{ type: 'choice', value: 'pregnant' }, ['(2 hatin hilbijartin)', 'Gelo yek ji van']],
      ['qediya', ['tenê carekê dikarin alîkariyê bikin', 'We berê qet ji bernameyekê alîkarî']],
      ['na', ['di binçavkirinê de ne', 'Hûn niha di binçavkirinê de an di girtîgehê de ne?']],
      ['Na', ['Gelo kesek zextê li we dike ku hûn vegerin?']],
      ['na', ['Kîjan alîkarî ji bo we girîng e?']],
      ['rêwîtî û bilêt', ['(1 hat hilbijartin)', 'Kîjan alîkarî']],
      ['5', ['(2 hatin hilbijartin)', 'Kîjan alîkarî']],
      ['Qediya', ['Pirsek dawî, tenê heke hûn bixwazin bersiv bidin']],
      [
        'ez beriya dê û bavê xwe dikim lê ez ji bêkariyê ditirsim',
        [
          'Ev e tiştê ku min ji bersivên we dît',
          'Berî ku hûn tiştekî biryar bidin:',
          'Hûn dixwazin bi şêwirmendekî re biaxivin? [Erê, ez dixwazim bi kesekî re biaxivim] [Na, ne niha] [Zêdetir li ser REAG/GARP]',
        ],
      ],
      ['Zêdetir li ser REAG/GARP', ['Ji bo malbata we, ev dikare bi giştî heta 6.200 euro be', 'Hûn dixwazin bi şêwirmendekî re biaxivin?']],
      ['na', ['Spas ji bo dema we.']],
    ]);
    expect(state.answers).toMatchObject({
      language: 'kmr',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'prefer_not_to_say',
      nationality: 'SY',
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

  it('speaks to a child travelling alone with "tu", in Kurmanji too', () => {
    const { events } = play([
      ...toAgeInKurmanji,
      ['kemtir ji 16 sali', ['Silav. Ez Homeward im', 'heke hûn di xetereyê de bin', 'Gelo kesek zirarê dide te an te ditirsîne?']],
      [
        'na',
        ['Ji ber ku tu ji 18 salî biçûktir î, kesekî ku alîkariya ciwanan dike dikare bi te re biaxive. Tu dixwazî niha bi vî kesî re biaxivî? [Erê] [Na]'],
      ],
      ['na', ['da ku em piştrast bin ku tu ewle yî', 'Tu li vir bêyî dê û bavê xwe']],
      ['erê', ['Te tiştekî xelet nekiriye', 'Tu niha li kîjan welatî yî?']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
  });

  it('understands typed Kurmanji intents, and danger inside a sentence', () => {
    play([...toAgeInKurmanji, ['alikari', ['Hûn dikarin bi bişkokan bersiv bidin', 'Hûn çend salî ne?']]]);
    const handoff = play([...toAgeInKurmanji, ['ez dixwazim bi kesekî re biaxivim', ['Ez ji şêwirmendekî dixwazim ku tevlî vê chatê bibe']]]);
    expect(handoff.events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
    const safety = play([
      ...toAgeInKurmanji,
      ['ji kerema xwe alikari bikin, meré min her sev li min dixe', ['Tenê heke hûn bixwazin. [Bi pirsan berdewam bike]']],
      ['bi pirsan berdewam bike', ['Hûn çend salî ne?']],
    ]);
    expect(safety.events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }));
  });

  it('texts come from the Kurmanji locale, not the English fallback', () => {
    const t = transcripts.localisation.translatorFor('kmr');
    expect(t('bot:intake.consent')).toBe('Hûn razî ne ku em bersivên we biparêzin?');
    expect(t('system:multi_added', { count: 1 })).toContain('(1 hat hilbijartin)');
    expect(t('system:multi_added', { count: 3 })).toContain('(3 hatin hilbijartin)');
    expect(transcripts.localisation.choose(['kmr-TR'], 'en')).toBe('kmr');
  });
});

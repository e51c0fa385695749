import { describe, expect, it } from 'vitest';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('en');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

/** Welcome in English, language chosen by typing its name, consent typed as "ja": the bot now asks the age. */
const toAgeInGerman: Step[] = [
  [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use?']],
  ['deutsch', ['Bevor wir anfangen, etwas zu Ihren Daten', 'Sind Sie einverstanden, dass wir Ihre Antworten speichern? [Ja] [Nein]']],
  [
    'ja',
    [
      'Ich stelle Ihnen jetzt einige Fragen zu Ihrer Situation',
      'die Hilfe für Kinder und für Erwachsene unterschiedlich ist',
      'Wie alt sind Sie? [Unter 16] [16 oder 17] [18 bis 59] [60 oder älter] [Möchte ich nicht sagen]',
    ],
  ],
];

describe('counselling transcript (German)', () => {
  it('walks the whole intake with typed German answers, numbers and country names', () => {
    const { state, messages } = play([
      ...toAgeInGerman,
      // "Are you safe now" comes right after age.
      ['18 bis 59', ['wenn jemand in Gefahr ist', 'Tut Ihnen jemand weh, bedroht Sie jemand']],
      ['nein', ['In welchem Land sind Sie jetzt? [Deutschland] [Niederlande] [Belgien] [Frankreich] [Österreich] [Ich weiß nicht] [Möchte ich nicht sagen]']],
      // A country inside a short sentence.
      ['ich wohne in Deutschland', ['eine Stelle in Ihrer Nähe', 'In welcher Stadt oder in welchem Ort wohnen Sie jetzt?']],
      // Part of a button's label, capitals and punctuation aside.
      ['nicht sagen!', ['nur für Menschen aus bestimmten Ländern', 'Welche Staatsangehörigkeit haben Sie?']],
      ['Syrien', ['In welches Land würden Sie vielleicht zurückkehren?']],
      // "I don't know" as people type it, without "ich".
      ['weiß nicht', ['hängt von Ihrer Situation ab', 'Wie ist Ihre Situation in diesem Land jetzt?']],
      ['Ich habe einen Asylantrag gestellt und warte auf die Entscheidung', ['Manche Programme fragen danach', 'Haben Sie Ihren Asylantrag zurückgenommen?']],
      ['Nein', ['nur vor diesem Datum möglich', 'bis zu dem Sie das Land verlassen müssen (Ausreisefrist)?']],
      ['ja', ['Welches Datum ist es? Bitte schreiben Sie es so: 31.12.2026.']],
      ['31.02.2027', ['Bitte schreiben Sie das Datum so: 31.12.2026.', 'Welches Datum ist es?']],
      ['01.03.2027', ['Wie viele Erwachsene (18 oder älter) würden reisen, Sie selbst mitgezählt?']],
      ['viele', ['Bitte schreiben Sie eine Zahl, zum Beispiel 2.', 'Wie viele Erwachsene']],
      ['25', ['Bitte schreiben Sie eine Zahl von 1 bis 20.', 'Wie viele Erwachsene']],
      // Numbers in words, alone or in a short sentence.
      ['nur ich', ['Wie viele Kinder unter 18 würden mit Ihnen reisen?']],
      ['drei Kinder', ['Manche Unterstützung ist für jüngere Kinder anders.', 'Wie alt sind die Kinder?']],
      ['Ich weiß nicht', ['Warum wir fragen', 'Trifft etwas davon auf Sie zu']],
      // Multi-select: a label typed out, then a tap, then "fertig" typed.
      ['ein Elternteil, das allein mit Kindern reist', ['Notiert (1 ausgewählt).', 'Trifft etwas davon auf Sie zu']],
      [{ type: 'choice', value: 'pregnant' }, ['Notiert (2 ausgewählt).', 'Trifft etwas davon auf Sie zu']],
      ['fertig', ['Manche Programme können nur einmal helfen.', 'Haben Sie schon einmal Hilfe von einem Programm bekommen']],
      ['nein', ['solange sie in Haft sind', 'Sind Sie jetzt in Haft']],
      [
        'NEIN',
        [
          'Ob Sie zurückkehren, entscheiden allein Sie. Niemand darf Sie dazu drängen: keine Behörde, nicht Ihre Familie und auch sonst niemand. Drängt Sie jemand zur Rückkehr?',
        ],
      ],
      ['nein', ['Welche Hilfe wäre Ihnen wichtig?']],
      ['1', ['Notiert (1 ausgewählt).', 'Welche Hilfe']],
      ['Fertig', ['Eine letzte Frage, nur wenn Sie antworten möchten']],
      [
        'ich vermisse meine mutter, aber ich hab angst dass ich keine arbeit finde',
        [
          'Hier ist, was ich mit Ihren Antworten gefunden habe. Das sind allgemeine Informationen, keine Entscheidung.',
          // Before any amount: what withdrawing the asylum application means.
          'Manche Hilfe gibt es nur für Menschen, die ihren Asylantrag zurücknehmen.',
          'Möchten Sie mit einer Person aus der Beratung sprechen? [Ja, ich möchte mit einem Menschen sprechen] [Nein, jetzt nicht] [Mehr über REAG/GARP]',
        ],
      ],
      [
        { type: 'choice', value: 'more:de-reag-garp', node: 'offer' },
        [
          'Für Ihren Haushalt könnten das insgesamt bis zu 3.000 Euro sein, was die Beratung bestätigen muss',
          'Möchten Sie mit einer Person aus der Beratung sprechen?',
        ],
      ],
      [
        { type: 'choice', value: 'more:de-starthilfeplus', node: 'offer' },
        ['müssten Sie Ihren Asylantrag zurücknehmen', 'Möchten Sie mit einer Person aus der Beratung sprechen?'],
      ],
      ['nein', ['Danke für Ihre Zeit.']],
    ]);
    expect(state.answers).toMatchObject({
      language: 'de',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'prefer_not_to_say',
      nationality: 'SY',
      returnCountry: 'unknown',
      legalStatus: 'asylum_pending',
      asylumWithdrawn: 'no',
      hasDepartureDeadline: 'yes',
      departureDeadline: '2027-03-01',
      householdAdults: 1,
      householdMinors: 3,
      minorAges: 'unknown',
      safetyConcern: 'no',
      vulnerabilities: ['single_parent', 'pregnant'],
      priorReturnAssistance: 'no',
      detained: 'no',
      pressured: 'no',
      wishes: ['travel'],
      inTheirWords: 'ich vermisse meine mutter, aber ich hab angst dass ich keine arbeit finde',
      wantsCounsellor: 'no',
    });
    expect(explainedOutcomes(messages)).toEqual([
      { programme: 'de-perspektive-heimat', outcome: 'possibly_eligible' },
      { programme: 'de-reag-garp', outcome: 'eligible' },
      { programme: 'de-starthilfeplus', outcome: 'eligible' },
    ]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('speaks to a child travelling alone with "du", in German too', () => {
    const { events } = play([
      ...toAgeInGerman,
      ['unter 16', ['Hallo. Ich bin Homeward, ein Chat-Helfer', 'wenn jemand in Gefahr ist', 'Tut dir jemand weh oder macht dir jemand Angst?']],
      ['nein', ['Weil du unter 18 bist, kann eine Person mit dir sprechen, die jungen Menschen hilft. Möchtest du jetzt mit dieser Person sprechen?']],
      ['nein', ['dass du in Sicherheit bist', 'Bist du hier ohne deine Eltern']],
      ['ja', ['Du hast nichts falsch gemacht.', 'In welchem Land bist du jetzt?']],
      ['deutschland', ['dein Vormund', 'In welcher Stadt oder in welchem Ort bist du jetzt?']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
  });

  it.each([['ich bin in Gefahr'], ['bitte mein mann schlägt mich jeden abend'], ['ich will mich umbringen']])(
    'typing "%s" in German stops the questions, asks for a person, and goes on only after "weitermachen"',
    (said) => {
      const { events } = play([
        ...toAgeInGerman,
        [
          said,
          [
            'Sie müssen jetzt keine weiteren Fragen beantworten. Wenn Sie weitermachen möchten, tippen Sie auf die Schaltfläche, wann immer Sie so weit sind. Nur wenn Sie das wollen. [Mit den Fragen weitermachen]',
          ],
        ],
        ['mit den Fragen weitermachen', ['Wie alt sind Sie?']],
      ]);
      expect(events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }));
    },
  );

  it('a German question about danger back home is answered honestly, not taken for an emergency', () => {
    // Nobody can promise a safe return: the bot says so, offers a counsellor at normal priority, or
    // the questions again; no alarm, no emergency numbers.
    const { events } = play([
      ...toAgeInGerman,
      [
        'Ist es gefährlich, jetzt nach Syrien zurückzukehren?',
        [
          'Ich kann Ihnen nicht versprechen, dass eine Rückkehr sicher ist',
          'Möchten Sie mit der Beratung darüber sprechen oder mit den Fragen weitermachen? [Mit einem Menschen sprechen] [Mit den Fragen weitermachen]',
        ],
      ],
    ]);
    expect(events.map((event) => event.type)).not.toContain('handoff_requested');
  });

  it('understands German commands typed as whole messages', () => {
    const { events, state } = play([
      ...toAgeInGerman,
      ['hilfe', ['Sie können mit den Schaltflächen antworten oder Ihre Antwort schreiben', 'Wie alt sind Sie?']],
      [
        'Fragen',
        [
          'Hier sind Antworten auf häufige Fragen. Tippen Sie auf ein Thema oder auf „Zurück zu den Fragen“. [Was ist freiwillige Rückkehr?] [Was passiert mit meinem Asylverfahren?]',
        ],
      ],
      ['2', ['ändert das nichts an Ihrem Asylverfahren', 'Hier sind Antworten auf häufige Fragen']],
      ['Zurück zu den Fragen', ['Wie alt sind Sie?']],
      ['60 oder älter', ['wenn jemand in Gefahr ist', 'Tut Ihnen jemand weh']],
      ['ich möchte mit einem Menschen sprechen', ['Ich bitte eine Person aus der Beratung in diesen Chat.']],
      ['abbrechen', ['Ihre Anfrage an die Beratung ist abgebrochen.', 'Tut Ihnen jemand weh']],
      ['meine Daten löschen', ['Möchten Sie alles löschen, was Sie uns in diesem Chat gesagt haben? Das kann nicht rückgängig gemacht werden. [Ja] [Nein]']],
      ['nein', ['Es wurde nichts gelöscht.', 'Tut Ihnen jemand weh']],
    ]);
    expect(state.answers.ageBand).toBe('60+');
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
    expect(events).toContainEqual({ type: 'handoff_cancel_requested' });
  });
});

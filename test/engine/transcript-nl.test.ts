import { describe, expect, it } from 'vitest';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('en');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

/** Welcome in English, language chosen by typing its name, consent typed as "ja": the bot now asks the age. */
const toAgeInDutch: Step[] = [
  [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use?']],
  ['nederlands', ['Voordat we beginnen, iets over uw gegevens', 'Gaat u ermee akkoord dat we uw antwoorden bewaren? [Ja] [Nee]']],
  [
    'ja',
    [
      'Ik stel u nu een paar vragen over uw situatie',
      'de hulp voor kinderen en voor volwassenen verschillend is',
      'Hoe oud bent u? [Jonger dan 16] [16 of 17] [18 tot 59] [60 of ouder] [Zeg ik liever niet]',
    ],
  ],
];

describe('counselling transcript (Dutch)', () => {
  it('walks the intake with typed Dutch answers, numbers and country names', () => {
    const { state, messages } = play([
      ...toAgeInDutch,
      ['18 tot 59', ['als iemand in gevaar is', 'Doet iemand u pijn, bedreigt iemand u']],
      ['nee', ['In welk land bent u nu? [Duitsland] [Nederland] [België] [Frankrijk] [Oostenrijk] [Weet ik niet] [Zeg ik liever niet]']],
      ['ik woon in Nederland', ['een kantoor bij u in de buurt', 'In welke stad of welk dorp woont u nu?']],
      ['liever niet', ['alleen voor mensen uit bepaalde landen', 'Welke nationaliteit heeft u?']],
      ['Afghanistan', ['Naar welk land zou u misschien teruggaan?']],
      ['weet ik niet', ['hangt af van uw situatie', 'Wat is nu uw situatie in dit land?']],
      ['Mijn asielaanvraag is afgewezen', ['alleen mogelijk vóór die datum', 'Heeft u een datum gekregen waarop u het land moet hebben verlaten?']],
      ['ja', ['Welke datum is het? Schrijf die zo: 31-12-2026.']],
      ['15-01-2027', ['Hoeveel volwassenen (18 of ouder) zouden meereizen, uzelf meegeteld?']],
      ['veel', ['Schrijf een getal, bijvoorbeeld 2.', 'Hoeveel volwassenen']],
      // Numbers in words, alone or in a short sentence.
      ['we zijn met z’n tweeën', ['Hoeveel kinderen jonger dan 18 zouden met u meereizen?']],
      ['geen kinderen', ['Waarom we dit vragen', 'Geldt iets hiervan voor u']],
      ['een zwangerschap', ['Genoteerd (1 gekozen).', 'Geldt iets hiervan voor u']],
      ['klaar', ['maar één keer helpen', 'Heeft u al eens hulp gekregen van een programma']],
      ['nee', ['zolang ze in detentie zitten', 'Zit u nu in detentie of in de gevangenis?']],
      [
        'NEE',
        [
          'Of u terugkeert, beslist u alleen zelf. Niemand mag u onder druk zetten: geen instantie, niet uw familie, en ook niemand anders. Zet iemand u onder druk om terug te keren?',
        ],
      ],
      ['nee', ['Welke hulp is belangrijk voor u?']],
      ['1', ['Genoteerd (1 gekozen).', 'Welke hulp']],
      ['Klaar', ['Een laatste vraag, alleen als u wilt antwoorden']],
      [
        'ik mis mijn familie',
        [
          'Dit is wat ik met uw antwoorden heb gevonden. Dit is algemene informatie, geen beslissing.',
          'In Nederland: VluchtelingenWerk Nederland',
          'Wilt u met een begeleider praten? [Ja, ik wil met een mens praten] [Nee, nu niet] [Meer over Hulp bij terugkeer en herintegratie (Nederland)]',
        ],
      ],
      ['nee', ['Bedankt voor uw tijd.']],
    ]);
    expect(state.answers).toMatchObject({
      language: 'nl',
      ageBand: '18-59',
      hostCountry: 'NL',
      hostCity: 'prefer_not_to_say',
      nationality: 'AF',
      returnCountry: 'unknown',
      legalStatus: 'asylum_rejected',
      departureDeadline: '2027-01-15',
      householdAdults: 2,
      householdMinors: 0,
      vulnerabilities: ['pregnant'],
      wishes: ['travel'],
      wantsCounsellor: 'no',
    });
    expect(explainedOutcomes(messages)).toEqual([{ programme: 'nl-return-support', outcome: 'eligible' }]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('speaks to a child with "je"', () => {
    const { events } = play([
      ...toAgeInDutch,
      ['jonger dan 16', ['Hallo. Ik ben Homeward, een chathelper', 'als iemand in gevaar is', 'Doet iemand je pijn of maakt iemand je bang?']],
      ['nee', ['Omdat je jonger bent dan 18, kan iemand die jongeren helpt met je praten. Wil je nu met die persoon praten?']],
      ['nee', ['dat je veilig bent', 'Ben je hier zonder je ouders']],
      ['ja', ['Je hebt niets verkeerd gedaan.', 'In welk land ben je nu?']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
  });

  it('typing danger in Dutch stops the questions and asks for a person; a question about danger back home does not', () => {
    const alarm = play([
      ...toAgeInDutch,
      [
        'mijn man slaat me elke avond ik durf niet naar huis',
        [
          'U hoeft nu geen vragen meer te beantwoorden. Als u wilt doorgaan, tik dan op de knop, wanneer u er klaar voor bent. Alleen als u dat zelf kiest. [Doorgaan met de vragen]',
        ],
      ],
      ['doorgaan met de vragen', ['Hoe oud bent u?']],
    ]);
    expect(alarm.events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }));

    const question = play([
      ...toAgeInDutch,
      [
        'is het gevaarlijk om nu terug te keren naar irak',
        [
          'Ik kan u niet beloven dat teruggaan veilig is',
          'Wilt u hierover met een begeleider praten, of doorgaan met de vragen? [Met een mens praten] [Doorgaan met de vragen]',
        ],
      ],
    ]);
    expect(question.events.map((event) => event.type)).not.toContain('handoff_requested');
  });

  it('understands Dutch commands typed as whole messages', () => {
    const { events } = play([
      ...toAgeInDutch,
      ['hulp', ['U kunt antwoorden met de knoppen of uw antwoord schrijven', 'Hoe oud bent u?']],
      ['vragen', ['Hier zijn antwoorden op veelgestelde vragen. Tik op een onderwerp, of op „Terug naar de vragen”. [Wat is vrijwillige terugkeer?]']],
      ['Terug naar de vragen', ['Hoe oud bent u?']],
      ['ik wil met iemand praten', ['Ik vraag een begeleider om in dit gesprek te komen.']],
      ['annuleren', ['Uw verzoek om een begeleider is geannuleerd.', 'Hoe oud bent u?']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
  });
});

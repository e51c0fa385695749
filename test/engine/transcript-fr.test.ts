import { describe, expect, it } from 'vitest';
import { useTranscripts, type Step } from '../support/transcript.js';

const nbsp = '\u00a0';
const thousands = '\u202f';
const transcripts = useTranscripts('en');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

/** Welcome, language chosen by typing its name, consent typed as "oui": the bot now asks the age. */
const toAgeInFrench: Step[] = [
  [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use?']],
  ['français', [`Avant de commencer, un mot sur vos données`, `Êtes-vous d'accord pour que nous gardions vos réponses${nbsp}? [Oui] [Non]`]],
  [
    'oui',
    [
      'Je vais maintenant vous poser quelques questions',
      "l'aide n'est pas la même pour les enfants",
      `Quel âge avez-vous${nbsp}? [Moins de 16 ans] [16 ou 17 ans] [De 18 à 59 ans] [60 ans ou plus] [Je préfère ne pas répondre]`,
    ],
  ],
];

describe('counselling transcript (French)', () => {
  it('walks the whole intake with typed French answers, numbers and country names', () => {
    const { state, messages } = play([
      ...toAgeInFrench,
      // "Are you safe now" comes right after age.
      ['18 à 59', ['si vous êtes en danger', "Est-ce que quelqu'un vous fait du mal"]],
      ['non', [`Dans quel pays êtes-vous maintenant${nbsp}? [Allemagne] [Pays-Bas] [Belgique] [France] [Autriche] [Je ne sais pas]`]],
      ['allemagne', ['un bureau près de chez vous', 'Dans quelle ville ou quel village habitez-vous maintenant']],
      // Accents and capitals do not matter.
      ['je prefere ne pas repondre', ['seulement pour les personnes de certains pays', 'De quel pays avez-vous la nationalité']],
      ['Syrie', ['Dans quel pays pensez-vous peut-être retourner']],
      ['je ne sais pas', ['dépendent de votre situation', "Quelle est votre situation dans ce pays aujourd'hui"]],
      ["J'ai demandé l'asile et j'attends la réponse", ['Certains programmes posent cette question', "Avez-vous retiré votre demande d'asile"]],
      ['Non', ['seulement avant cette date', 'Vous a-t-on donné une date limite pour quitter le pays']],
      ['oui', [`Quelle est cette date${nbsp}? Écrivez-la comme ceci${nbsp}: 31/12/2026.`]],
      ['31/02/2027', ['Écrivez la date comme ceci', 'Quelle est cette date']],
      ['01/03/2027', ["Combien d'adultes (18 ans ou plus) voyageraient"]],
      ['beaucoup', ["Merci d'écrire un nombre, par exemple 2.", "Combien d'adultes"]],
      ['25', ["Merci d'écrire un nombre de 1 à 20.", "Combien d'adultes"]],
      ['1', ["Combien d'enfants de moins de 18 ans voyageraient avec vous"]],
      ['3', ['différentes pour les enfants plus jeunes', 'Quel âge ont les enfants']],
      ['Je ne sais pas', ['Pourquoi nous demandons', "Est-ce qu'une de ces choses vous concerne"]],
      // Multi-select: a label typed out, then a tap, then "j'ai fini" typed.
      ['un parent qui voyage seul avec des enfants', ['(1 réponse choisie)', "Est-ce qu'une de ces choses"]],
      [{ type: 'choice', value: 'pregnant' }, ['(2 réponses choisies)', "Est-ce qu'une de ces choses"]],
      ["j'ai fini", ['aider une seule fois', "Avez-vous déjà reçu l'aide d'un programme"]],
      ['non', ['en rétention ou en prison', 'Êtes-vous en ce moment dans un centre de rétention ou en prison']],
      ['NON', ["Est-ce que quelqu'un vous pousse à rentrer"]],
      ['non', ['Quelle aide serait importante pour vous']],
      ['1', ['(1 réponse choisie)', 'Quelle aide']],
      ["J'ai fini", ['Une dernière question, seulement si vous voulez y répondre']],
      [
        "je veux revoir ma mère, mais j'ai peur de ne pas trouver de travail",
        [
          "Voici ce que j'ai trouvé avec vos réponses. Ce sont des informations générales, pas une décision.",
          // Before any amount: what withdrawing the asylum application means.
          'Certaines aides sont seulement pour les personnes qui retirent leur',
          `Voulez-vous parler à un conseiller${nbsp}? [Oui, je veux parler à une personne] [Non, pas maintenant] [En savoir plus${nbsp}: REAG/GARP]`,
        ],
      ],
      [
        { type: 'choice', value: 'more:de-reag-garp', node: 'offer' },
        [`cela pourrait aller jusqu'à 3${thousands}000 euros au total, à confirmer par un conseiller`, 'Voulez-vous parler à un conseiller'],
      ],
      [
        { type: 'choice', value: 'more:de-starthilfeplus', node: 'offer' },
        ["vous devriez retirer votre demande d'asile", 'Voulez-vous parler à un conseiller'],
      ],
      ['non', ['Merci pour votre temps.']],
    ]);
    expect(state.answers).toMatchObject({
      language: 'fr',
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
      inTheirWords: "je veux revoir ma mère, mais j'ai peur de ne pas trouver de travail",
      wantsCounsellor: 'no',
    });
    expect(explainedOutcomes(messages)).toEqual([
      { programme: 'de-perspektive-heimat', outcome: 'possibly_eligible' },
      { programme: 'de-reag-garp', outcome: 'eligible' },
      { programme: 'de-starthilfeplus', outcome: 'eligible' },
    ]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('speaks simply to a child travelling alone, in French too', () => {
    const { events } = play([
      ...toAgeInFrench,
      ['moins de 16 ans', ["Bonjour. Je suis Homeward, je t'aide", 'si vous êtes en danger', "Est-ce que quelqu'un te fait"]],
      ['non', [`Comme tu as moins de 18 ans, une personne qui aide les jeunes peut parler avec toi. Veux-tu parler à cette personne maintenant${nbsp}?`]],
      ['non', ['pour être sûrs que tu es en sécurité', 'Es-tu ici sans tes parents']],
      ['oui', ["Tu n'as rien fait de mal", `Dans quel pays es-tu maintenant${nbsp}?`]],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
  });

  it.each([['je suis en danger'], ["s'il vous plaît, mon mari me frappe, il me frappe tous les soirs"], ['Au secours !']])(
    'typing "%s" in French stops the questions, asks for a person, and goes on only after "continue"',
    (said) => {
      const { events } = play([
        ...toAgeInFrench,
        [
          said,
          [
            "Vous n'avez pas à répondre à d'autres questions maintenant. Si vous voulez continuer, quand vous voulez, touchez le bouton. Seulement si vous le choisissez. [Continuer les questions]",
          ],
        ],
        ['continuer les questions', [`Quel âge avez-vous${nbsp}?`]],
      ]);
      expect(events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }));
    },
  );

  it('a French question about danger back home is answered honestly, not taken for an emergency', () => {
    // Nobody can promise a safe return: the bot says so, offers a counsellor at normal priority, or
    // the questions again; no alarm, no emergency numbers.
    const { events } = play([
      ...toAgeInFrench,
      [
        "Est-ce que c'est dangereux de rentrer chez moi ?",
        ["Je ne peux pas vous promettre qu'un retour est sûr", 'Voulez-vous en parler avec un conseiller, ou continuer les questions ?'],
      ],
    ]);
    expect(events.map((event) => event.type)).not.toContain('handoff_requested');
  });

  it('understands French commands typed as whole messages', () => {
    const { events, state } = play([
      ...toAgeInFrench,
      ['aide', ['Vous pouvez répondre avec les boutons ou écrire votre réponse', 'Quel âge avez-vous']],
      [
        'Questions',
        [
          `Voici des réponses aux questions fréquentes. Appuyez sur un sujet, ou sur «${nbsp}Retour aux questions${nbsp}». [C'est quoi, le retour volontaire${nbsp}?] [Que devient ma demande d'asile${nbsp}?]`,
        ],
      ],
      ['2', ["ne change rien à votre demande d'asile", 'Voici des réponses aux questions fréquentes']],
      ['Retour aux questions', ['Quel âge avez-vous']],
      ['60 ans ou plus', ['si vous êtes en danger', "Est-ce que quelqu'un vous fait du mal"]],
      ['Parler à une personne', ['Je demande à un conseiller de venir dans cette conversation']],
    ]);
    expect(state.answers.ageBand).toBe('60+');
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
  });
});

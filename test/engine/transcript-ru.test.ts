import { describe, expect, it } from 'vitest';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts('ru');
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

/** Russian formats thousands with a no-break space: 6 200. */
const nbsp = '\u00a0';

const toAge: Step[] = [
  [{ type: 'start' }, ['Здравствуйте. Я Homeward', 'На каком языке вы хотите общаться?']],
  ['русский', ['Перед началом — о ваших данных', 'Вы согласны, чтобы мы сохранили ваши ответы? [Да] [Нет]']],
  [
    'да',
    [
      'Сейчас я задам несколько вопросов',
      'Мы спрашиваем, потому что',
      'Сколько вам лет? [Младше 16] [16 или 17] [От 18 до 59] [60 или старше] [Не хочу отвечать]',
    ],
  ],
];

describe('Russian transcript', () => {
  it('walks the whole intake with typed Russian answers, numbers and country names', () => {
    const { state, events, messages } = play([
      ...toAge,
      // "Are you safe now" comes right after age.
      ['от 18 до 59', ['если вам грозит опасность', 'Кто-нибудь причиняет вам вред']],
      ['нет', ['В какой стране вы сейчас находитесь? [Германия] [Нидерланды] [Бельгия] [Франция] [Австрия] [Не знаю] [Не хочу отвечать]']],
      ['германия', ['офисе рядом с вами', 'В каком городе или посёлке вы сейчас живёте?']],
      ['Берлин', ['определённых стран', 'Гражданином какой страны вы являетесь?']],
      ['Афганистан', ['В какую страну вы, возможно, хотели бы вернуться?']],
      ['не знаю', ['зависит от вашей ситуации', 'Какая у вас сейчас ситуация в этой стране? [Я жду решения по заявлению на убежище] [Мне отказали в убежище]']],
      ['Мне отказали в убежище', ['только до этой даты', 'Вам назначили дату, до которой вы должны покинуть страну? [Да] [Нет] [Не знаю] [Не хочу отвечать]']],
      ['Да', ['Какая это дата?']],
      ['31.02.2027', ['Пожалуйста, напишите дату так', 'Какая это дата?']],
      ['15.01.2027', ['Сколько взрослых (18 лет и старше) поедет, считая вас?']],
      ['много', ['Пожалуйста, напишите число', 'Сколько взрослых']],
      ['25', ['от 1 до 20', 'Сколько взрослых']],
      ['2', ['Сколько детей младше 18 лет поедет с вами?']],
      ['3', ['Для младших детей', 'Сколько лет детям?']],
      ['не знаю', ['Почему мы спрашиваем', 'Что-то из этого относится к вам']],
      ['болезнь или нужно лечение', ['выбран 1 пункт', 'Что-то из этого относится к вам']],
      ['беременность', ['выбрано 2 пункта', 'Что-то из этого относится к вам']],
      ['готово', ['только один раз', 'Вы уже когда-нибудь получали помощь от программы']],
      ['нет', ['пока они под стражей', 'Вы сейчас под стражей или в тюрьме?']],
      ['НЕТ', ['Кто-нибудь давит на вас, чтобы вы вернулись?']],
      ['нет', ['Какая помощь для вас важна?']],
      ['дорога и билеты', ['выбран 1 пункт', 'Какая помощь']],
      ['жильё', ['выбрано 2 пункта', 'Какая помощь']],
      ['2', ['выбрано 3 пункта', 'Какая помощь']],
      ['Школа или обучение', ['выбрано 4 пункта', 'Какая помощь']],
      ['7', ['выбрано 5 пунктов', 'Какая помощь']],
      ['Готово', ['Последний вопрос, только если хотите ответить']],
      [
        'не хочу отвечать',
        [
          'Вот что я могу сказать по вашим ответам. Это общая информация, а не решение.',
          'Прежде чем что-то решать:',
          'Хотите поговорить с консультантом? [Да, хочу поговорить с человеком] [Нет, не сейчас] [Подробнее: REAG/GARP] [Подробнее: StarthilfePlus] [Подробнее: Perspektive Heimat]',
        ],
      ],
      [
        'Подробнее: REAG/GARP',
        [`Для всех, кто поедет, это может быть всего до 6${nbsp}200 евро. Это должен подтвердить консультант.`, 'Хотите поговорить с консультантом?'],
      ],
      ['подробнее starthilfeplus', ['до даты, до которой вам сказали уехать', 'Хотите поговорить с консультантом?']],
      ['нет', ['Спасибо, что уделили время']],
    ]);
    expect(state.answers).toEqual({
      language: 'ru',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'Берлин',
      nationality: 'AF',
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
      wishes: ['travel', 'housing', 'medical', 'education', 'family_tracing'],
      inTheirWords: 'prefer_not_to_say',
      wantsCounsellor: 'no',
    });
    expect(events).toContainEqual({ type: 'consent', granted: true, noticeVersion: '2026-11-v1' });
    expect(explainedOutcomes(messages)).toEqual([
      { programme: 'de-perspektive-heimat', outcome: 'possibly_eligible' },
      { programme: 'de-reag-garp', outcome: 'eligible' },
      { programme: 'de-starthilfeplus', outcome: 'eligible' },
    ]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('accepts «не знаю» and «не хочу отвечать» everywhere and says what is missing, with the "many" plural', () => {
    const { state, messages } = play([
      ...toAge,
      ['не хочу отвечать', ['грозит опасность', 'Кто-нибудь причиняет вам вред']],
      ['не хочу отвечать', ['В какой стране вы сейчас находитесь?']],
      ['Нидерланды', ['офисе рядом с вами', 'В каком городе']],
      ['Не хочу отвечать', ['определённых стран', 'Гражданином какой страны']],
      ['не хочу отвечать', ['В какую страну']],
      ['не знаю', ['зависит от вашей ситуации', 'Какая у вас сейчас ситуация']],
      ['Не знаю', ['только до этой даты', 'Вам назначили дату']],
      ['не знаю', ['Сколько взрослых']],
      ['не хочу отвечать', ['Сколько детей младше 18 лет']],
      ['не хочу отвечать', ['Почему мы спрашиваем', 'Что-то из этого относится к вам']],
      ['не хочу отвечать', ['только один раз', 'Вы уже когда-нибудь получали помощь']],
      ['не знаю', ['под стражей', 'Вы сейчас под стражей или в тюрьме?']],
      ['не хочу отвечать', ['Кто-нибудь давит на вас']],
      ['не хочу отвечать', ['Какая помощь для вас важна?']],
      ['1, 3 7', ['Последний вопрос']],
      // The "many" plural: 6 programmes in other countries.
      ['не хочу отвечать', ['Я знаю ещё 6 программ в других странах.', 'Прежде чем что-то решать:', 'Хотите поговорить с консультантом?']],
      [
        { type: 'choice', value: 'more:nl-return-support', node: 'offer' },
        [
          'Чтобы узнать больше, консультанту нужно знать: ваше гражданство, ваша ситуация в этой стране, например ваше заявление на убежище и получали ли вы раньше помощь для возвращения.',
          'Хотите поговорить с консультантом?',
        ],
      ],
    ]);
    expect(state.answers).toMatchObject({
      ageBand: 'prefer_not_to_say',
      hostCountry: 'NL',
      hostCity: 'prefer_not_to_say',
      nationality: 'prefer_not_to_say',
      returnCountry: 'unknown',
      legalStatus: 'unknown',
      hasDepartureDeadline: 'unknown',
      vulnerabilities: 'prefer_not_to_say',
      wishes: ['travel', 'housing', 'family_tracing'],
    });
    expect(explainedOutcomes(messages)).toEqual([{ programme: 'nl-return-support', outcome: 'possibly_eligible' }]);
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('speaks to a child alone with «ты», simply, and makes it a priority case: a counsellor and a guardian, no amounts', () => {
    const { events, state, messages } = play([
      ...toAge,
      ['младше 16', ['Привет. Я Homeward', 'грозит опасность', 'Кто-нибудь делает тебе больно или пугает тебя?']],
      [
        'нет',
        [
          'Тебе ещё нет 18 лет, поэтому с тобой может поговорить человек, который помогает молодым людям. Хочешь поговорить с этим человеком сейчас? [Да] [Нет]',
        ],
      ],
      ['нет', ['что ты в безопасности', 'Ты здесь без родителей и без другого взрослого из твоей семьи?']],
      ['да', ['Тебя никто ни в чём не обвиняет', 'В какой стране ты сейчас?']],
      ['Германия', ['твой опекун', 'В каком городе или посёлке ты сейчас?']],
      ['Гамбург', ['Из какой ты страны?']],
      ['Сирия', ['Тебе поможет консультант вместе с твоим опекуном или законным представителем. Тебе не нужно ничего решать одному.']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'unaccompanied_minor' });
    expect(messages.filter((message) => message.key.startsWith('eligibility:'))).toEqual([]);
    expect(state.answers).toMatchObject({ ageBand: '0-15', audience: 'child', unaccompaniedMinor: 'yes', hostCountry: 'DE', nationality: 'SY' });
  });
});

describe('Russian free will', () => {
  it('«да, меня заставляют» to the pressure question asks a counsellor and goes on with the questions', () => {
    // Only the line that matters is checked per row ('among'): the questions before are tested above.
    const answers: [string, string[]][] = [
      ['от 18 до 59', ['Кто-нибудь причиняет вам вред']],
      ['нет', ['В какой стране']],
      ['германия', ['В каком городе']],
      ['Берлин', ['Гражданином какой страны']],
      ['Афганистан', ['В какую страну']],
      ['не знаю', ['Какая у вас сейчас ситуация']],
      ['Мне отказали в убежище', ['Вам назначили дату']],
      ['нет', ['Сколько взрослых']],
      ['1', ['Сколько детей']],
      ['0', ['Почему мы спрашиваем', 'Что-то из этого относится к вам']],
      ['не хочу отвечать', ['Вы уже когда-нибудь получали помощь']],
      ['нет', ['Вы сейчас под стражей или в тюрьме?']],
      ['нет', ['Кто-нибудь давит на вас, чтобы вы вернулись?']],
      ['да', ['Возвращение должно быть только вашим свободным выбором. Я прошу консультанта', 'Какая помощь для вас важна?']],
    ];
    const { events } = play([...toAge, ...answers.map(([said, lines]): Step => [said, lines, 'among'])]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'pressure' });
  });
});

describe('Russian typed commands', () => {
  it('help, the FAQ and "talk to a person" work typed in Russian', () => {
    const { events } = play([
      ...toAge,
      ['помощь', ['Вы можете отвечать кнопками', 'Сколько вам лет?']],
      ['вопросы', ['Вот ответы на частые вопросы. Нажмите на тему или на «Назад к вопросам». [Что такое добровольное возвращение?]']],
      ['Могу ли я передумать?', ['ни к чему вас не обязывают', 'Вот ответы на частые вопросы']],
      ['Назад к вопросам', ['Сколько вам лет?']],
      ['Поговорить с человеком', ['Я прошу консультанта присоединиться к этому чату. Вам ответит человек, здесь же.']],
    ]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
  });

  it.each([['chelovek'], ['позовите консультанта']])('"%s" asks for a counsellor', (said) => {
    const { events } = play([...toAge, [said, ['Я прошу консультанта присоединиться']]]);
    expect(events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
  });

  it.each([['Я в опасности'], ['помогите, меня бьют каждый день'], ['мне угрожают']])(
    'typing "%s" stops the questions, asks for a person, and goes on only after "continue"',
    (said) => {
      const { events } = play([
        ...toAge,
        [
          said,
          [
            'Сейчас вам не нужно отвечать на другие вопросы. Если и когда захотите продолжить, нажмите кнопку. Только если вы сами этого хотите. [Продолжить вопросы]',
          ],
        ],
        ['продолжить вопросы', ['Сколько вам лет?']],
      ]);
      expect(events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }));
    },
  );

  it('a question about danger back home is answered honestly, not taken for an emergency', () => {
    const { events } = play([
      ...toAge,
      ['Будет ли опасно возвращаться?', ['Я не могу обещать, что возвращаться безопасно', 'Хотите поговорить об этом с консультантом или продолжить вопросы?']],
    ]);
    expect(events.map((event) => event.type)).not.toContain('handoff_requested');
  });

  it('«удалить мои данные» asks first, and «нет» deletes nothing', () => {
    const { events, state } = play([
      ...toAge,
      ['удалить мои данные', ['Вы хотите удалить всё, что рассказали нам в этом чате?']],
      ['нет', ['Ничего не удалено', 'Сколько вам лет?']],
    ]);
    expect(events.map((event) => event.type)).not.toContain('erasure_requested');
    expect(state.answers.consent).toBe('yes');
  });

  it('switching from English to Russian repeats the question in Russian and keeps the answers', () => {
    const { state, locale } = play(
      [
        [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use?']],
        ['English', ['Before we start', 'Do you agree']],
        ['yes', ['I will now ask', 'We ask because', 'How old are you?']],
        ['язык', ['Which language do you want to use?']],
        ['Русский', ['Сколько вам лет? [Младше 16]']],
        ['начать заново', ['Начинаем заново', 'Здравствуйте', 'На каком языке']],
      ],
      'en',
    );
    expect(locale).toBe('ru');
    expect(state.answers).toEqual({});
  });
});

// The programme catalogue for an organisation's admin: each programme's rules and amounts in the
// words the bot uses with people, its sources, whether the organisation offers it (a checkbox that
// saves at once), and "try a case": a hand-made case evaluated on the server, never stored.
import { z } from 'zod';
import { h } from '../../../../channels/web/widget/client/dom.js';
import { AGE_BANDS, LEGAL_STATUSES, PREFER_NOT_TO_SAY, STATELESS, TRI_STATES, UNKNOWN, VULNERABILITIES, WISHES } from '../../../../eligibility/case.js';
import { COUNTRY_CODES } from '../../../../eligibility/countries.js';
import type { AdminPage, AdminView } from './page.js';

const moneySchema = z.object({ amount: z.number(), currency: z.string(), text: z.string() });
const programmeSchema = z.object({
  id: z.string(),
  active: z.boolean(),
  name: z.string(),
  summary: z.string(),
  howToApply: z.string(),
  hostCountry: z.string(),
  hostCountryName: z.string(),
  operator: z.string(),
  sampleData: z.boolean(),
  rules: z.array(z.string()),
  exclusions: z.array(z.string()),
  notes: z.array(z.string()),
  travelOnly: z.object({ text: z.string(), countries: z.array(z.string()) }).nullable(),
  assistance: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      detail: z.string().nullable(),
      per: z.enum(['person', 'household']),
      amount: moneySchema.nullable(),
      reductions: z.array(z.object({ ageUnder: z.number(), amount: moneySchema })),
      householdCap: moneySchema.nullable(),
      conditional: z.boolean(),
    }),
  ),
  householdCap: moneySchema.nullable(),
  sources: z.array(z.object({ title: z.string(), url: z.string(), checked: z.string(), verified: z.boolean(), note: z.string().nullable() })),
});
type ProgrammeView = z.infer<typeof programmeSchema>;
const catalogueSchema = z.object({ lng: z.string(), textLng: z.string(), programmes: z.array(programmeSchema) });

const resultSchema = z.object({
  programme: z.string(),
  name: z.string(),
  active: z.boolean(),
  outcome: z.string(),
  outcomeText: z.string(),
  reasons: z.array(z.string()),
  missing: z.array(z.string()),
  estimate: z
    .object({
      upTo: moneySchema.nullable(),
      components: z.array(z.object({ kind: z.string(), name: z.string(), upTo: moneySchema })),
      unquantified: z.array(z.object({ kind: z.string(), name: z.string() })),
    })
    .nullable(),
});
const tryAnswerSchema = z.object({ textLng: z.string(), results: z.array(resultSchema) });

const k = (name: string) => `admin.programmes.${name}`;
// Checkboxes keep their natural size; the console's stylesheet sizes text inputs.
const checkboxStyle = 'width:auto;min-height:auto;margin:0';
const checkLabelStyle = 'display:flex;align-items:center;gap:8px;font-weight:400';

function list(items: readonly string[], lang?: string): HTMLElement {
  return h('ul', lang ? { lang } : {}, ...items.map((item) => h('li', {}, item)));
}

function checkedDate(iso: string, lng: string): string {
  return new Intl.DateTimeFormat(lng, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

function supportItems(view: AdminView, programme: ProgrammeView): string[] {
  return programme.assistance.map((component) => {
    const parts = [
      component.amount
        ? view.t(k(component.per === 'person' ? 'per_person' : 'per_household'), { name: component.name, amount: component.amount.text })
        : view.t(k('no_figure'), { name: component.name }),
    ];
    for (const reduction of component.reductions) parts.push(view.t(k('reduction'), { amount: reduction.amount.text, age: reduction.ageUnder }));
    if (component.householdCap) parts.push(view.t(k('component_cap'), { amount: component.householdCap.text }));
    if (component.detail) parts.push(component.detail);
    if (component.conditional) parts.push(view.t(k('conditional')));
    return parts.join(' · ');
  });
}

function programmeSection(view: AdminView, programme: ProgrammeView, textLng: string, onToggle: (input: HTMLInputElement) => void): HTMLElement {
  const toggle = h('input', { type: 'checkbox', id: `offer-${programme.id}`, 'data-programme': programme.id, style: checkboxStyle });
  toggle.checked = programme.active;
  toggle.addEventListener('change', () => onToggle(toggle));
  const texts = { lang: textLng };
  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': `programme-${programme.id}` },
    h('h2', { id: `programme-${programme.id}`, ...texts }, programme.name),
    h('p', {}, view.t(k('where'), { country: programme.hostCountryName, operator: programme.operator })),
    h('label', { for: toggle.id, style: checkLabelStyle }, toggle, view.t(k('offer'), { name: programme.name })),
    ...(programme.sampleData ? [h('p', {}, h('strong', {}, view.t(k('sample_data'))))] : []),
    h('p', texts, programme.summary),
    h('h3', {}, view.t(k('who'))),
    list(programme.rules, textLng),
  );
  if (programme.exclusions.length > 0) section.append(h('h3', {}, view.t(k('who_not'))), list(programme.exclusions, textLng));
  if (programme.notes.length > 0) section.append(h('h3', {}, view.t(k('notes'))), list(programme.notes, textLng));
  if (programme.travelOnly) {
    section.append(h('h3', {}, view.t(k('travel_only'))), h('p', texts, programme.travelOnly.text), h('p', {}, programme.travelOnly.countries.join(', ')));
  }
  section.append(h('h3', {}, view.t(k('support'))), list(supportItems(view, programme)));
  if (programme.householdCap) section.append(h('p', {}, view.t(k('household_cap'), { amount: programme.householdCap.text })));
  section.append(
    h('h3', {}, view.t(k('how_to_apply'))),
    h('p', texts, programme.howToApply),
    h('h3', {}, view.t(k('sources'))),
    h(
      'ul',
      {},
      ...programme.sources.map((source) =>
        h(
          'li',
          {},
          h('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank' }, source.title),
          ` · ${view.t(k('checked'), { date: checkedDate(source.checked, view.lng) })} · ${view.t(k(source.verified ? 'verified' : 'unverified'))}`,
          ...(source.note ? [h('br'), source.note] : []),
        ),
      ),
    ),
  );
  return section;
}

type Options = readonly (readonly [value: string, label: string])[];

function selectField(id: string, label: string, options: Options, notAnswered: string): { field: HTMLElement; input: HTMLSelectElement } {
  const input = h('select', { id, name: id }, h('option', { value: '' }, notAnswered), ...options.map(([value, text]) => h('option', { value }, text)));
  return { field: h('div', {}, h('label', { for: id }, label), input), input };
}

function checkGroup(id: string, legend: string, options: Options): { field: HTMLElement; inputs: HTMLInputElement[] } {
  const rows = options.map(([value, text]) => {
    const input = h('input', { type: 'checkbox', id: `${id}-${value}`, name: id, value, style: checkboxStyle });
    return { input, label: h('label', { for: input.id, style: checkLabelStyle }, input, text) };
  });
  return { field: h('fieldset', {}, h('legend', {}, legend), ...rows.map((row) => row.label)), inputs: rows.map((row) => row.input) };
}

function countryOptions(lng: string): Options {
  const names = new Intl.DisplayNames([lng], { type: 'region' });
  return COUNTRY_CODES.map((code) => [code, names.of(code) ?? code] as const).sort((a, b) => a[1].localeCompare(b[1], lng));
}

/** The "try a case" form: only the answers given are sent, as the case JSON the evaluator takes. */
function tryForm(view: AdminView, showResults: (answer: z.infer<typeof tryAnswerSchema>) => void): HTMLElement {
  const t = (name: string) => view.t(k(`case.${name}`));
  const notAnswered = t('not_answered');
  const countries = countryOptions(view.lng);
  const gaps: Options = [
    [UNKNOWN, t('value.unknown')],
    [PREFER_NOT_TO_SAY, t('value.prefer_not_to_say')],
  ];
  // "Don't know" and "prefer not to say" are worded once for every question.
  const labelled = (group: string, values: readonly string[]): Options =>
    values.map((v) => [v, t(v === UNKNOWN || v === PREFER_NOT_TO_SAY ? `value.${v}` : `${group}.${v}`)] as const);
  const triStates = labelled('value', TRI_STATES);

  const host = selectField('case-hostCountry', t('field.hostCountry'), countries, notAnswered);
  const nationality = selectField('case-nationality', t('field.nationality'), [...countries, [STATELESS, t('value.stateless')], ...gaps], notAnswered);
  const returnCountry = selectField('case-returnCountry', t('field.returnCountry'), [...countries, ...gaps], notAnswered);
  const age = selectField('case-ageBand', t('field.ageBand'), labelled('age', AGE_BANDS), notAnswered);
  const legal = selectField('case-legalStatus', t('field.legalStatus'), labelled('legal', LEGAL_STATUSES), notAnswered);
  const withdrawn = selectField('case-asylumWithdrawn', t('field.asylumWithdrawn'), triStates, notAnswered);
  const prior = selectField('case-priorReturnAssistance', t('field.priorReturnAssistance'), triStates, notAnswered);
  const detained = selectField('case-detained', t('field.detained'), triStates, notAnswered);
  const alone = selectField(
    'case-unaccompaniedMinor',
    t('field.unaccompaniedMinor'),
    [
      ['yes', t('value.yes')],
      ['no', t('value.no')],
    ],
    notAnswered,
  );
  const deadline = h('input', { id: 'case-departureDeadline', type: 'date' });
  const adults = h('input', { id: 'case-adults', type: 'number', min: '0', max: '30', inputmode: 'numeric' });
  const minors = h('input', { id: 'case-minors', type: 'number', min: '0', max: '30', inputmode: 'numeric' });
  const minorAges = h('input', { id: 'case-minorAges', type: 'text', inputmode: 'numeric', 'aria-describedby': 'case-minorAges-hint' });
  const vulnerabilities = checkGroup('case-vulnerabilities', t('field.vulnerabilities'), labelled('vulnerability', VULNERABILITIES));
  const wishes = checkGroup('case-wishes', t('field.wishes'), labelled('wish', WISHES));
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, view.t(k('try.submit')));

  const field = (input: HTMLElement, label: string, ...extra: Node[]) => h('div', {}, h('label', { for: input.id }, label), input, ...extra);
  const form = h(
    'form',
    { 'aria-labelledby': 'try-heading', novalidate: true },
    h('div', { class: 'inline' }, host.field, nationality.field, returnCountry.field),
    h('div', { class: 'inline' }, age.field, legal.field, withdrawn.field),
    h('div', { class: 'inline' }, field(deadline, t('field.departureDeadline')), prior.field, detained.field),
    h(
      'div',
      { class: 'inline' },
      field(adults, t('field.adults')),
      field(minors, t('field.minors')),
      field(minorAges, t('field.minorAges'), h('small', { id: 'case-minorAges-hint' }, t('minor_ages_hint'))),
      alone.field,
    ),
    vulnerabilities.field,
    wishes.field,
    error,
    h('div', { class: 'actions' }, submit),
  );

  const whole = (input: HTMLInputElement): number | undefined => (input.value.trim() === '' ? undefined : Number(input.value));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const ages =
      minorAges.value.trim() === ''
        ? undefined
        : minorAges.value
            .split(/[\s,;]+/)
            .filter(Boolean)
            .map(Number);
    if (ages?.some((age) => !Number.isInteger(age))) {
      error.textContent = view.t(k('try.invalid_ages'));
      minorAges.focus();
      return;
    }
    const household = {
      ...(whole(adults) !== undefined ? { adults: whole(adults) } : {}),
      ...(whole(minors) !== undefined ? { minors: whole(minors) } : {}),
      ...(ages ? { minorAges: ages } : {}),
      ...(alone.input.value ? { unaccompaniedMinor: alone.input.value === 'yes' } : {}),
    };
    const chosen = (inputs: HTMLInputElement[]) => inputs.filter((input) => input.checked).map((input) => input.value);
    const selects: [string, HTMLSelectElement][] = [
      ['hostCountry', host.input],
      ['nationality', nationality.input],
      ['returnCountry', returnCountry.input],
      ['ageBand', age.input],
      ['legalStatus', legal.input],
      ['asylumWithdrawn', withdrawn.input],
      ['priorReturnAssistance', prior.input],
      ['detained', detained.input],
    ];
    const body: Record<string, unknown> = Object.fromEntries(selects.filter(([, input]) => input.value !== '').map(([name, input]) => [name, input.value]));
    if (deadline.value) body.departureDeadline = deadline.value;
    if (Object.keys(household).length > 0) body.household = household;
    if (chosen(vulnerabilities.inputs).length > 0) body.vulnerabilities = chosen(vulnerabilities.inputs);
    if (chosen(wishes.inputs).length > 0) body.wishes = chosen(wishes.inputs);
    submit.disabled = true;
    view
      .call(tryAnswerSchema, 'POST', `/admin/programmes/try?lng=${encodeURIComponent(view.lng)}`, body)
      .then(showResults)
      .catch((failure: unknown) => {
        error.textContent = view.errorText(failure);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

function resultsView(view: AdminView, answer: z.infer<typeof tryAnswerSchema>): Node[] {
  const heading = h('h3', { id: 'try-results', tabindex: '-1' }, view.t(k('try.result')));
  const items = answer.results.map((result) => {
    const item = h(
      'article',
      { 'data-programme': result.programme, 'data-outcome': result.outcome },
      h('h4', { lang: answer.textLng }, result.name),
      ...(result.active ? [] : [h('p', {}, h('em', {}, view.t(k('try.not_offered'))))]),
      h('p', { lang: answer.textLng }, result.outcomeText),
      list(result.reasons, answer.textLng),
    );
    if (result.missing.length > 0) item.append(h('p', {}, view.t(k('try.missing')), ' ', h('span', { lang: answer.textLng }, result.missing.join('; '))));
    if (result.estimate) {
      const parts = result.estimate.components.map((component) => `${component.name}: ${component.upTo.text}`);
      if (result.estimate.upTo)
        item.append(h('p', {}, view.t(k('try.up_to'), { amount: result.estimate.upTo.text }), ' ', h('span', { lang: answer.textLng }, parts.join('; '))));
      // Support without a verified figure is named, never given an amount.
      for (const component of result.estimate.unquantified) item.append(h('p', {}, view.t(k('no_figure'), { name: component.name })));
    }
    return item;
  });
  return [heading, ...items];
}

async function renderProgrammes(view: AdminView): Promise<void> {
  const path = `/admin/programmes?lng=${encodeURIComponent(view.lng)}`;
  const catalogue = await view.call(catalogueSchema, 'GET', path);
  const toggles: HTMLInputElement[] = [];

  // Each change saves the whole set of offered programmes; on failure the box goes back.
  const onToggle = (changed: HTMLInputElement) => {
    const active = toggles.filter((input) => input.checked).map((input) => input.dataset.programme ?? '');
    for (const input of toggles) input.disabled = true;
    view
      .call(catalogueSchema, 'PATCH', path, { active })
      .then(() => view.notify(view.t(k('saved'))))
      .catch((error: unknown) => {
        changed.checked = !changed.checked;
        view.notify(view.errorText(error));
      })
      .finally(() => {
        for (const input of toggles) input.disabled = false;
        changed.focus();
      });
  };
  const sections = catalogue.programmes.map((programme) => programmeSection(view, programme, catalogue.textLng, onToggle));
  for (const section of sections) {
    const input = section.querySelector<HTMLInputElement>('input[type="checkbox"]');
    if (input) toggles.push(input);
  }

  const results = h('div', { id: 'try-results-area' });
  const showResults = (answer: z.infer<typeof tryAnswerSchema>) => {
    results.replaceChildren(...resultsView(view, answer));
    results.querySelector<HTMLElement>('#try-results')?.focus();
  };
  const tryPanel = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'try-heading' },
    h('h2', { id: 'try-heading' }, view.t(k('try.title'))),
    h('p', {}, view.t(k('try.intro'))),
    tryForm(view, showResults),
    results,
  );
  view.show(
    view.t('admin.nav.programmes'),
    h('p', {}, view.t(k('intro'))),
    ...(catalogue.textLng !== catalogue.lng ? [h('p', {}, view.t(k('texts_in_english')))] : []),
    ...sections,
    tryPanel,
  );
}

export const cataloguePages: AdminPage[] = [{ path: 'programmes', navKey: 'admin.nav.programmes', render: renderProgrammes }];

// `npm run safety:eval`: recall and false alarms of the shipped safety lexicons on the corpus, per
// language and per category, with every miss and false alarm named. Exit 1 when a language is
// below the bar (the same bar as test/safety/eval.test.ts).
import { shippedSafetyDetector } from '../support/engine.js';
import { corpusLanguages, loadCorpus } from './corpus/corpus.js';
import { evaluateLanguage, recallOf, requiredRecall } from './evaluate.js';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const detector = shippedSafetyDetector();
const results = corpusLanguages.map((language) => evaluateLanguage(detector, loadCorpus(language)));

console.log('lang  alarms  heard   recall  right-category  false-alarms  per category (heard/alarms)');
for (const result of results) {
  const categories = Object.entries(result.byCategory).map(([category, tally]) => `${category} ${tally.heard}/${tally.alarms}`).join(', ');
  console.log(
    `${result.language.padEnd(4)}  ${String(result.alarms).padStart(6)}  ${String(result.heard).padStart(5)}  ${percent(recallOf(result)).padStart(7)}  ${String(result.rightCategory).padStart(14)}  ${String(result.falseAlarms.length).padStart(12)}  ${categories}`,
  );
}
const total = results.reduce((sum, result) => ({ alarms: sum.alarms + result.alarms, heard: sum.heard + result.heard }), { alarms: 0, heard: 0 });
console.log(`all   ${String(total.alarms).padStart(6)}  ${String(total.heard).padStart(5)}  ${percent(recallOf(total)).padStart(7)}`);

for (const result of results) {
  for (const miss of result.misses) console.log(`${result.language} ${miss.heard ? 'wrong category' : 'missed'} [${miss.expected}${miss.heard ? ` heard as ${miss.heard}` : ''}]: ${miss.text}`);
  for (const alarm of result.falseAlarms) console.log(`${result.language} false alarm (${alarm.kind}) [${alarm.category}, ${alarm.lexicon}: "${alarm.entry}"]: ${alarm.text}`);
  for (const text of result.returnQuestionsNotRecognised) console.log(`${result.language} return question not recognised: ${text}`);
}
const failing = results.filter((result) => recallOf(result) < requiredRecall || result.falseAlarms.length > 0);
if (failing.length > 0) {
  console.log(`below the bar (recall >= ${percent(requiredRecall)}, no false alarm): ${failing.map((result) => result.language).join(' ')}`);
  process.exitCode = 1;
}

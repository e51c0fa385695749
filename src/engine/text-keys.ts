import { specialAnswers } from '../flows/schema.js';
import { faqTopics } from './faq.js';
import { typedIntents } from './intents.js';

/** Every key the engine and turn processing use on their own, so `flows:check` can verify each locale has them. */
export const engineTextKeys: readonly string[] = [
  ...['yes', 'no', ...specialAnswers, 'done', 'restart', 'talk_to_person'].map((name) => `system:answer.${name}`),
  ...typedIntents.map((intent) => `system:intent.${intent}`),
  ...['not_a_number', 'number_range', 'pick_a_choice', 'too_long', 'type_an_answer', 'unknown_country', 'whole_number', 'try_again', 'not_a_date'].map(
    (name) => `system:error.${name}`,
  ),
  ...[
    'choose_language',
    'erase_cancelled',
    'erase_confirm',
    'erased',
    'finished',
    'handoff_requested',
    'handoff_cancelled',
    'nothing_to_cancel',
    'help',
    'multi_added',
    'not_kept_before_consent',
    'not_kept_after_withdrawal',
    'consent_withdrawn',
    'consent_not_given',
    'restarting',
    'stale_choice',
    'welcome_back',
    'safety',
    'eligibility_unavailable',
  ].map((name) => `system:${name}`),
  ...['intro', 'back', ...faqTopics.flatMap((topic) => [`topic.${topic}`, `answer.${topic}`])].map((name) => `system:faq.${name}`),
];

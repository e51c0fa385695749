// Every admin page, in the order of the admin navigation. Each area owns its own module.
import { analyticsPages } from './analytics-pages.js';
import { cataloguePages } from './catalogue-pages.js';
import { flowsPages } from './flows-pages.js';
import type { AdminPage } from './page.js';
import { peoplePages } from './people-pages.js';
import { settingsPages } from './settings-pages.js';
import { webhooksPages } from './webhooks-pages.js';

export const adminPages: readonly AdminPage[] = [...settingsPages, ...peoplePages, ...webhooksPages, ...cataloguePages, ...analyticsPages, ...flowsPages];

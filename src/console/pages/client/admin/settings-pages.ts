import type { AdminPage } from './page.js';

export const settingsPages: AdminPage[] = [];

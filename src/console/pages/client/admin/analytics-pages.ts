import type { AdminPage } from './page.js';

export const analyticsPages: AdminPage[] = [];

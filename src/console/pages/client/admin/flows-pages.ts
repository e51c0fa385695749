import type { AdminPage } from './page.js';

export const flowsPages: AdminPage[] = [];

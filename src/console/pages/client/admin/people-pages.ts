import type { AdminPage } from './page.js';

export const peoplePages: AdminPage[] = [];

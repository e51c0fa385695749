import type { AdminPage } from './page.js';

export const cataloguePages: AdminPage[] = [];

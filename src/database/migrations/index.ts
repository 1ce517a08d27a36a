import { InitialSchema1764100000000 } from './1764100000000-initial-schema';

/** In order of application. A migration, once released, is never edited: add a new one. */
export const MIGRATIONS = [InitialSchema1764100000000];

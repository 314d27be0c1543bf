import type { CreationCapabilities } from '../creation/capabilities.js';
import type { SearchAnswer } from '../management/plugin-management-service.js';
import type { RegistryEntry } from '../management/types.js';
import type { Capabilities, RegistryEntryAnswer, SearchAnswerRecord } from './records.js';

/*
 * The services answer these types; the handlers' typing checks that every answer fits its schema,
 * and these checks that no field of an answer is missing from its schema (the HTTP client would
 * drop it without a word). A failing check is a compile error naming the record.
 */
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;
type Holds<T extends true> = T;

export type RecordsMatchServices = [
  Holds<SameKeys<RegistryEntryAnswer, RegistryEntry>>,
  Holds<SameKeys<SearchAnswerRecord, SearchAnswer>>,
  Holds<SameKeys<SearchAnswerRecord['hits'][number], SearchAnswer['hits'][number]>>,
  Holds<SameKeys<Capabilities, CreationCapabilities>>,
  Holds<SameKeys<Capabilities['limits'], CreationCapabilities['limits']>>,
];

// Per-module string catalogues: every journey keeps its texts beside its screens (so they load with
// it), zh-CN first. A language is complete or it does not build: en must have every zh-CN key.
// The same strings are shown and spoken.
import type { Language } from './strings';

export type Catalogue<K extends string> = { readonly [L in Language]: Readonly<Record<K, string>> };
export type Text<K extends string> = (key: K, values?: Readonly<Record<string, string | number>>) => string;

export function defineCatalogue<const Z extends Record<string, string>>(zh: Z, en: Readonly<Record<keyof Z, string>>): Catalogue<keyof Z & string> {
  return { 'zh-CN': zh, en };
}

export function textFor<K extends string>(catalogue: Catalogue<K>, language: Language): Text<K> {
  const table = catalogue[language];
  return (key, values = {}) => table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

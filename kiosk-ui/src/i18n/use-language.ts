// The session's language: zh-CN unless the resident switches. Reset with the session.
import { useCallback, useState } from 'preact/hooks';
import { translate, type Language, type StringKey } from './strings';

export type Translate = (key: StringKey, values?: Record<string, string>) => string;

export function useLanguage(initial: Language = 'zh-CN'): { language: Language; t: Translate; toggle: () => void } {
  const [language, setLanguage] = useState<Language>(initial);
  const t = useCallback<Translate>((key, values) => translate(language, key, values), [language]);
  const toggle = useCallback(() => setLanguage((l) => (l === 'zh-CN' ? 'en' : 'zh-CN')), []);
  return { language, t, toggle };
}

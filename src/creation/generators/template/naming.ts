/** File-name and literal helpers shared by the templates. */
export const kebab = (identifier: string): string =>
  identifier.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();

/** A JavaScript string literal for any text (user text never becomes code). */
export const lit = (value: string): string => JSON.stringify(value);

export const verbOf = (identifier: string): string => /^[a-z]+/.exec(identifier)?.[0] ?? '';

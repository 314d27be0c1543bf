/** Words that cannot name a binding, a class or a property we generate, in JavaScript or TypeScript. */
const HARD_RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await arguments eval constructor prototype'
  ).split(' '),
);
/** Contextual words: legal as property names, confusing as the name of a component. */
const RESERVED = new Set([
  ...HARD_RESERVED,
  ...'as any boolean declare get module require number set string symbol type from of async never unknown object undefined'.split(' '),
]);

/** True for words that can never be a variable or parameter name. */
export function isHardReserved(identifier: string): boolean {
  return HARD_RESERVED.has(identifier);
}

/** The words of a name in any common casing: camelCase, PascalCase, UPPER_SNAKE, kebab-case, spaces. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

/** Only letters, digits, spaces, "_" and "-" may appear in a component name. */
export const COMPONENT_NAME = /^[A-Za-z][A-Za-z0-9 _-]{0,63}$/;

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

export function camelCase(name: string): string {
  const [first = '', ...rest] = words(name);
  return first + rest.map(cap).join('');
}

export function pascalCase(name: string): string {
  return words(name).map(cap).join('');
}

export function upperSnake(name: string): string {
  return words(name).join('_').toUpperCase();
}

export function snakeCase(name: string): string {
  return words(name).join('_');
}

export function isReserved(identifier: string): boolean {
  return RESERVED.has(identifier) || RESERVED.has(identifier.toLowerCase());
}

/**
 * A camelCase identifier for a component. A reserved word gets a suffix naming its kind
 * ("delete" as an action becomes "deleteAction") so the user's intent survives.
 */
export function componentIdentifier(name: string, kind: 'action' | 'provider' | 'service' | 'evaluator'): string {
  const id = camelCase(name);
  return isReserved(id) ? `${id}${cap(kind)}` : id;
}

import { no, ok, type Outcome } from './reply.js';

export type TransformKind = 'slugify' | 'uppercase' | 'lowercase' | 'titlecase' | 'reverse' | 'wordcount' | 'trim';

/** A URL slug without a library: accents dropped, lower case, words joined by "-". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function transform(kind: TransformKind, text: string, slug: (s: string) => string = slugify): Outcome {
  if (text.trim() === '') return no('Which text? For example: text: "Hello World".', { question: true });
  switch (kind) {
    case 'slugify':
      return ok(slug(text), { result: slug(text) });
    case 'uppercase':
      return ok(text.toUpperCase(), { result: text.toUpperCase() });
    case 'lowercase':
      return ok(text.toLowerCase(), { result: text.toLowerCase() });
    case 'titlecase': {
      const result = text.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase());
      return ok(result, { result });
    }
    case 'reverse': {
      const result = [...text].reverse().join('');
      return ok(result, { result });
    }
    case 'wordcount': {
      const count = text.trim().split(/\s+/).filter(Boolean).length;
      return ok(String(count) + ' word' + (count === 1 ? '' : 's'), { result: count });
    }
    case 'trim':
      return ok(text.trim().replace(/\s+/g, ' '), { result: text.trim().replace(/\s+/g, ' ') });
  }
}

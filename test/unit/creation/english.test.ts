import { describe, expect, it } from 'vitest';
import { plural, singular } from '../../../src/creation/spec/english.js';

describe('English number for component names', () => {
  it.each([
    ['notes', 'note'], ['boxes', 'box'], ['cities', 'city'], ['movies', 'movie'], ['matches', 'match'],
    ['people', 'person'], ['indices', 'index'], ['analyses', 'analysis'], ['leaves', 'leaf'], ['aliases', 'alias'],
  ])('the singular of %s is %s', (word, expected) => {
    expect(singular(word)).toBe(expected);
  });

  it.each([['news'], ['series'], ['status'], ['data'], ['celsius'], ['physics'], ['dice']])('%s is its own singular', (word) => {
    expect(singular(word)).toBe(word);
  });

  it.each([
    ['note', 'notes'], ['box', 'boxes'], ['quiz', 'quizzes'], ['city', 'cities'], ['wine', 'wines'],
    ['person', 'people'], ['child', 'children'], ['mouse', 'mice'], ['status', 'statuses'], ['news', 'news'],
  ])('the plural of %s is %s', (word, expected) => {
    expect(plural(word)).toBe(expected);
  });

  it('answers in lower case and keeps a name it cannot inflect as a name', () => {
    expect(singular('Notes')).toBe('note');
    expect(plural('todo-item')).toBe('todo-items');
  });
});

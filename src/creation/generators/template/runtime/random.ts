import { randomInt } from 'node:crypto';
import { splitList } from './params.js';
import { no, ok, type Outcome } from './reply.js';

const COUNT_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

/** "roll 2d6", "roll a die", "roll three dice", "roll a d20". */
export function rollDice(text: string): Outcome {
  const nd = /\b(\d*)\s*d\s*(\d+)\b/i.exec(text);
  const words = /\b(\d+|a|an|one|two|three|four|five|six)\s+(?:(\d+)[- ]sided\s+)?(?:dice|die)\b/i.exec(text);
  const count = nd ? Number(nd[1] || 1) : words ? (COUNT_WORDS[(words[1] ?? '').toLowerCase()] ?? Number(words[1])) : 1;
  const sides = nd ? Number(nd[2]) : words?.[2] ? Number(words[2]) : 6;
  if (!Number.isInteger(count) || count < 1 || count > 100 || !Number.isInteger(sides) || sides < 2 || sides > 1000) {
    return no('I roll 1 to 100 dice of 2 to 1000 sides, e.g. "roll 2d6".', { question: true });
  }
  const rolls = Array.from({ length: count }, () => randomInt(1, sides + 1));
  const total = rolls.reduce((a, b) => a + b, 0);
  return ok('Rolled ' + String(count) + 'd' + String(sides) + ': ' + rolls.join(', ') + (count > 1 ? ' (total ' + String(total) + ')' : ''), { rolls, total, sides });
}

export function flipCoin(): Outcome {
  const side = randomInt(0, 2) === 0 ? 'heads' : 'tails';
  return ok('The coin landed on ' + side + '.', { side });
}

/** "pick one of pizza, sushi or tacos" / "choose between red and blue"; else the list a caller gave. */
export function pickOne(text: string, given?: unknown): Outcome {
  const fromText = /(?:\bof|\bfrom|\bbetween|\bamong|:)\s+(.+)$/i.exec(text)?.[1];
  const said = splitList(fromText ?? '');
  const options = said.length >= 2 || !Array.isArray(given) ? said : given.map(String);
  if (options.length < 2) return no('Give me at least two choices, e.g. "pick one of pizza, sushi or tacos".', { question: true });
  const choice = options[randomInt(0, options.length)] ?? '';
  return ok('I pick: ' + choice, { choice, options });
}

/** Whichever of the three the message asks for. */
export function randomAnswer(text: string, given?: unknown): Outcome {
  if (/\b(coin|heads|tails|flip|toss)\b/i.test(text)) return flipCoin();
  if (/\b(dice|die|roll|d\d+)\b/i.test(text)) return rollDice(text);
  return pickOne(text, given);
}

import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to what was typed, for a "did you mean" hint: compared case-insensitively,
 * and only when it is near enough to be a slip (a third of the word's letters, at least two)
 * rather than a different word. Undefined when nothing is.
 */
export function closestWord(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.trim().toLowerCase();
  if (word === '') return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of candidates) {
    const cost = distance(word, candidate.toLowerCase());
    if (cost <= limit && (best === undefined || cost < best.cost)) best = { candidate, cost };
  }
  return best?.candidate;
}

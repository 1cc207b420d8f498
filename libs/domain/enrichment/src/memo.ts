/**
 * A pure function of a string with its last answers kept: job titles and company names repeat across
 * leads (thousands of "VP Sales", "Acme Inc"), and classifying one is a scan of a table. At most
 * `capacity` answers are kept; when full, the oldest half goes (insertion order), so memory stays
 * bounded whatever the input. The answers are the function's own, so callers see no difference.
 */
export function memoised<R>(compute: (text: string) => R, capacity = 10_000): (text: string) => R {
  const answers = new Map<string, R>();
  return (text: string): R => {
    if (answers.has(text)) return answers.get(text) as R;
    const answer = compute(text);
    if (answers.size >= capacity) {
      let drop = Math.ceil(capacity / 2);
      for (const key of answers.keys()) {
        answers.delete(key);
        if (--drop === 0) break;
      }
    }
    answers.set(text, answer);
    return answer;
  };
}

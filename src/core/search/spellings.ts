/**
 * British and American spellings of one term, by suffix rules: -isation/-ization (and -ise/-ize,
 * -ised, -ising, -iser), -yse/-yze, -our/-or, -lling/-ling (and -lled/-led, -ller/-ler),
 * -tre/-ter. A rewrite is only a candidate: expansion keeps it when the papers use it as a word.
 * Guards against unrelated merges: the part before the suffix has at least three letters
 * ("rise", "four", "hour" never change), -our never follows an "o" ("floor" is not "flour"),
 * and the doubled l follows an "e" or "a" ("modelling", "signalling", never "filling"/"filing").
 */
const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^(\w{3,})is(e|ed|es|ing|er|ation|ational|able)$/, (m) => `${m[1]}iz${m[2]}`],
  [/^(\w{3,})iz(e|ed|es|ing|er|ation|ational|able)$/, (m) => `${m[1]}is${m[2]}`],
  [/^(\w{2,})ys(e|ed|es|ing|er)$/, (m) => `${m[1]}yz${m[2]}`],
  [/^(\w{2,})yz(e|ed|es|ing|er)$/, (m) => `${m[1]}ys${m[2]}`],
  [/^(\w{2,}[^o\W])our(|ed|ing|al|ally|ful|less|ite|able)$/, (m) => `${m[1]}or${m[2]}`],
  [/^(\w{2,}[^o\W])or(|ed|ing|al|ally|ful|less|ite|able)$/, (m) => `${m[1]}our${m[2]}`],
  [/^(\w{2,}[ea])ll(ing|ed|er)$/, (m) => `${m[1]}l${m[2]}`],
  [/^(\w{2,}[ea])l(ing|ed|er)$/, (m) => `${m[1]}ll${m[2]}`],
  [/^(\w{3,})tre$/, (m) => `${m[1]}ter`],
  [/^(\w{3,})ter$/, (m) => `${m[1]}tre`],
];

/** Other spellings `term` may have (unchecked against the vocabulary). */
export function spellingCandidates(term: string): string[] {
  const out: string[] = [];
  for (const [rx, to] of RULES) {
    const m = rx.exec(term);
    if (m) {
      const v = to(m);
      if (v !== term && !out.includes(v)) out.push(v);
    }
  }
  return out;
}

/**
 * arXiv's RSS lists all authors in one `dc:creator` string: "A, B and C", "A, B, and C", with
 * affiliations in parentheses that hold commas and "and" of their own ("(Department of X, Y, and Z)").
 */
export function splitAuthors(creator: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let cur = '';
  const push = () => {
    const name = cur.replace(/\s+/g, ' ').trim();
    if (name) names.push(name);
    cur = '';
  };
  for (let i = 0; i < creator.length; i++) {
    const c = creator[i]!;
    if (c === '(') depth++;
    if (depth === 0 && c === ',') {
      push();
      continue;
    }
    if (depth === 0 && /\s/.test(c) && /^and\s/i.test(creator.slice(i + 1, i + 5))) {
      push();
      i += 4;
      continue;
    }
    // Affiliations are left out: a name is what is outside the parentheses.
    if (depth === 0) cur += c;
    if (c === ')' && depth > 0) depth--;
  }
  push();
  // "A, and B": the comma leaves an empty name, and "and B" starts the next one.
  return names.map((n) => n.replace(/^and\s+/i, '')).filter(Boolean);
}

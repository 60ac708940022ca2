/**
 * A big announcement feed generated from the real ones: the items of the real cs.CL and quant-ph
 * days, repeated with fresh ids (26 99.NNNNN) until `n` items, inside the real cs.CL header.
 * Tests and the bench read arXiv at scale through it.
 */
import { arxivFile } from './arxiv-stand-in.ts';

export function generatedFeed(n: number): string {
  const cl = arxivFile('rss/cs.CL-2026-08-13.xml');
  const items = [...cl.matchAll(/ {4}<item>[\s\S]*?<\/item>\n/g), ...arxivFile('rss/quant-ph-2025-04-28.xml').matchAll(/ {4}<item>[\s\S]*?<\/item>\n/g)].map((m) => m[0]);
  const head = cl.slice(0, cl.indexOf('    <item>'));
  const out: string[] = [head];
  for (let i = 0; i < n; i++) {
    const id = `2699.${String(10000 + i).padStart(5, '0')}`;
    out.push(items[i % items.length]!.replace(/\d{4}\.\d{5}/g, id));
  }
  out.push('  </channel>\n</rss>\n');
  return out.join('');
}

import { PaperIndex } from '../src/core/search/index.ts';
import { loadGeneration } from '../src/index-files/generation.ts';
import { readManifest } from '../src/index-files/manifest.ts';
const dir = process.argv[2]!;
const t = () => performance.now();
for (let k = 0; k < 2; k++) {
let t0 = t();
const r = await readManifest(dir); if (!('manifest' in r)) throw new Error(r.problem);
const snap = await loadGeneration(dir, r.manifest); const a = t() - t0;
t0 = t(); const ix = PaperIndex.restore(snap as any); const b = t() - t0;
t0 = t(); ix.search('diffusion models'); console.log('load', a.toFixed(0), 'restore', b.toFixed(0), 'first search', (t() - t0).toFixed(0), 'rss', (process.memoryUsage().rss / 2 ** 20).toFixed(0));
}

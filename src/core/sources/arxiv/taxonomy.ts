/**
 * arXiv's category taxonomy (https://arxiv.org/category_taxonomy) as data: `cat:` topics are checked
 * against it, and an unknown category is answered with the close ones.
 */

/** Archive -> its categories' short names (the part after the dot) and names. Archives without dots (quant-ph) list none. */
const ARCHIVES: Record<string, { name: string; cats?: Record<string, string> }> = {
  cs: {
    name: 'Computer Science',
    cats: {
      AI: 'Artificial Intelligence', AR: 'Hardware Architecture', CC: 'Computational Complexity',
      CE: 'Computational Engineering, Finance, and Science', CG: 'Computational Geometry', CL: 'Computation and Language',
      CR: 'Cryptography and Security', CV: 'Computer Vision and Pattern Recognition', CY: 'Computers and Society',
      DB: 'Databases', DC: 'Distributed, Parallel, and Cluster Computing', DL: 'Digital Libraries',
      DM: 'Discrete Mathematics', DS: 'Data Structures and Algorithms', ET: 'Emerging Technologies',
      FL: 'Formal Languages and Automata Theory', GL: 'General Literature', GR: 'Graphics',
      GT: 'Computer Science and Game Theory', HC: 'Human-Computer Interaction', IR: 'Information Retrieval',
      IT: 'Information Theory', LG: 'Machine Learning', LO: 'Logic in Computer Science', MA: 'Multiagent Systems',
      MM: 'Multimedia', MS: 'Mathematical Software', NA: 'Numerical Analysis', NE: 'Neural and Evolutionary Computing',
      NI: 'Networking and Internet Architecture', OH: 'Other Computer Science', OS: 'Operating Systems',
      PF: 'Performance', PL: 'Programming Languages', RO: 'Robotics', SC: 'Symbolic Computation', SD: 'Sound',
      SE: 'Software Engineering', SI: 'Social and Information Networks', SY: 'Systems and Control',
    },
  },
  econ: { name: 'Economics', cats: { EM: 'Econometrics', GN: 'General Economics', TH: 'Theoretical Economics' } },
  eess: {
    name: 'Electrical Engineering and Systems Science',
    cats: { AS: 'Audio and Speech Processing', IV: 'Image and Video Processing', SP: 'Signal Processing', SY: 'Systems and Control' },
  },
  math: {
    name: 'Mathematics',
    cats: {
      AC: 'Commutative Algebra', AG: 'Algebraic Geometry', AP: 'Analysis of PDEs', AT: 'Algebraic Topology',
      CA: 'Classical Analysis and ODEs', CO: 'Combinatorics', CT: 'Category Theory', CV: 'Complex Variables',
      DG: 'Differential Geometry', DS: 'Dynamical Systems', FA: 'Functional Analysis', GM: 'General Mathematics',
      GN: 'General Topology', GR: 'Group Theory', GT: 'Geometric Topology', HO: 'History and Overview',
      IT: 'Information Theory', KT: 'K-Theory and Homology', LO: 'Logic', MG: 'Metric Geometry', MP: 'Mathematical Physics',
      NA: 'Numerical Analysis', NT: 'Number Theory', OA: 'Operator Algebras', OC: 'Optimization and Control',
      PR: 'Probability', QA: 'Quantum Algebra', RA: 'Rings and Algebras', RT: 'Representation Theory',
      SG: 'Symplectic Geometry', SP: 'Spectral Theory', ST: 'Statistics Theory',
    },
  },
  'astro-ph': {
    name: 'Astrophysics',
    cats: {
      CO: 'Cosmology and Nongalactic Astrophysics', EP: 'Earth and Planetary Astrophysics', GA: 'Astrophysics of Galaxies',
      HE: 'High Energy Astrophysical Phenomena', IM: 'Instrumentation and Methods for Astrophysics', SR: 'Solar and Stellar Astrophysics',
    },
  },
  'cond-mat': {
    name: 'Condensed Matter',
    cats: {
      'dis-nn': 'Disordered Systems and Neural Networks', 'mes-hall': 'Mesoscale and Nanoscale Physics',
      'mtrl-sci': 'Materials Science', other: 'Other Condensed Matter', 'quant-gas': 'Quantum Gases',
      soft: 'Soft Condensed Matter', 'stat-mech': 'Statistical Mechanics', 'str-el': 'Strongly Correlated Electrons',
      'supr-con': 'Superconductivity',
    },
  },
  'gr-qc': { name: 'General Relativity and Quantum Cosmology' },
  'hep-ex': { name: 'High Energy Physics - Experiment' },
  'hep-lat': { name: 'High Energy Physics - Lattice' },
  'hep-ph': { name: 'High Energy Physics - Phenomenology' },
  'hep-th': { name: 'High Energy Physics - Theory' },
  'math-ph': { name: 'Mathematical Physics' },
  nlin: {
    name: 'Nonlinear Sciences',
    cats: {
      AO: 'Adaptation and Self-Organizing Systems', CD: 'Chaotic Dynamics', CG: 'Cellular Automata and Lattice Gases',
      PS: 'Pattern Formation and Solitons', SI: 'Exactly Solvable and Integrable Systems',
    },
  },
  'nucl-ex': { name: 'Nuclear Experiment' },
  'nucl-th': { name: 'Nuclear Theory' },
  physics: {
    name: 'Physics',
    cats: {
      'acc-ph': 'Accelerator Physics', 'ao-ph': 'Atmospheric and Oceanic Physics', 'app-ph': 'Applied Physics',
      'atm-clus': 'Atomic and Molecular Clusters', 'atom-ph': 'Atomic Physics', 'bio-ph': 'Biological Physics',
      'chem-ph': 'Chemical Physics', 'class-ph': 'Classical Physics', 'comp-ph': 'Computational Physics',
      'data-an': 'Data Analysis, Statistics and Probability', 'ed-ph': 'Physics Education', 'flu-dyn': 'Fluid Dynamics',
      'gen-ph': 'General Physics', 'geo-ph': 'Geophysics', 'hist-ph': 'History and Philosophy of Physics',
      'ins-det': 'Instrumentation and Detectors', 'med-ph': 'Medical Physics', optics: 'Optics',
      'plasm-ph': 'Plasma Physics', 'pop-ph': 'Popular Physics', 'soc-ph': 'Physics and Society', 'space-ph': 'Space Physics',
    },
  },
  'quant-ph': { name: 'Quantum Physics' },
  'q-bio': {
    name: 'Quantitative Biology',
    cats: {
      BM: 'Biomolecules', CB: 'Cell Behavior', GN: 'Genomics', MN: 'Molecular Networks', NC: 'Neurons and Cognition',
      OT: 'Other Quantitative Biology', PE: 'Populations and Evolution', QM: 'Quantitative Methods',
      SC: 'Subcellular Processes', TO: 'Tissues and Organs',
    },
  },
  'q-fin': {
    name: 'Quantitative Finance',
    cats: {
      CP: 'Computational Finance', EC: 'Economics', GN: 'General Finance', MF: 'Mathematical Finance',
      PM: 'Portfolio Management', PR: 'Pricing of Securities', RM: 'Risk Management', ST: 'Statistical Finance',
      TR: 'Trading and Market Microstructure',
    },
  },
  stat: {
    name: 'Statistics',
    cats: { AP: 'Applications', CO: 'Computation', ME: 'Methodology', ML: 'Machine Learning', OT: 'Other Statistics', TH: 'Statistics Theory' },
  },
};

/** Every category and archive id with its name, e.g. `cs.CL` -> "Computation and Language", `cs` -> "Computer Science". */
export const CATEGORIES: ReadonlyMap<string, string> = new Map(
  Object.entries(ARCHIVES).flatMap(([archive, a]) => [
    [archive, a.name] as [string, string],
    ...Object.entries(a.cats ?? {}).map(([c, name]) => [`${archive}.${c}`, name] as [string, string]),
  ]),
);

const byLower = new Map([...CATEGORIES.keys()].map((id) => [id.toLowerCase(), id]));

/** The taxonomy's spelling of a category or archive typed in any case, or undefined. */
export function canonicalCategory(raw: string): string | undefined {
  return byLower.get(raw.trim().toLowerCase());
}

/** Whether `id` names an archive (`cs`, `quant-ph`) rather than one category of it. */
export function isArchive(id: string): boolean {
  return id in ARCHIVES;
}

/** Whether a paper category (`cs.CL`) falls under a followed one (`cs.CL` itself, or its archive `cs`). */
export function categoryCovers(followed: string, category: string): boolean {
  return category === followed || (isArchive(followed) && category.startsWith(`${followed}.`));
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/**
 * Up to `max` known categories close to an unknown `raw`: few edits away, the same short name in
 * another archive (`cl` -> cs.CL), or a name holding the word (`robotics` -> cs.RO).
 */
export function closeCategories(raw: string, max = 5): string[] {
  const q = raw.trim().toLowerCase();
  if (!q) return [];
  const scored: [string, number][] = [];
  for (const [id, name] of CATEGORIES) {
    const l = id.toLowerCase();
    const short = l.includes('.') ? l.slice(l.indexOf('.') + 1) : l;
    let s = distance(q, l);
    if (short === q || short === q.slice(q.lastIndexOf('.') + 1)) s = Math.min(s, 1);
    if (q.length >= 4 && name.toLowerCase().includes(q)) s = Math.min(s, 1);
    if (s <= 2) scored.push([id, s]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([id]) => id);
}

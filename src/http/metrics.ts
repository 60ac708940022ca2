/**
 * A small Prometheus registry (text exposition format 0.0.4): counters and gauges with labels,
 * fed by the app and adapters, rendered by `GET /metrics`.
 */
export type Labels = Record<string, string | number>;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
  get(labels?: Labels): number;
}

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; value: number }>;
}

export interface MetricsRegistry {
  /** Returns the existing counter of that name, or registers it. */
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string): Gauge;
  /** Prometheus text format. */
  render(): string;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function labelKey(labels: Labels = {}): string {
  for (const k of Object.keys(labels)) if (!LABEL.test(k)) throw new Error(`invalid metric label name "${k}"`);
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(String(labels[k]))}"`)
    .join(',');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function createMetrics(): MetricsRegistry {
  const metrics = new Map<string, Metric>();

  function register(name: string, help: string, type: Metric['type']): Metric {
    if (!NAME.test(name)) throw new Error(`invalid metric name "${name}"`);
    const existing = metrics.get(name);
    if (existing) {
      if (existing.type !== type) throw new Error(`metric "${name}" is already a ${existing.type}`);
      return existing;
    }
    const m: Metric = { name, help, type, values: new Map() };
    metrics.set(name, m);
    return m;
  }

  const read = (m: Metric, labels?: Labels) => m.values.get(labelKey(labels))?.value ?? 0;

  return {
    counter(name, help) {
      const m = register(name, help, 'counter');
      return {
        inc(labels, by = 1) {
          if (!(by >= 0) || !Number.isFinite(by)) throw new Error(`counter "${name}" can only grow (got ${by})`);
          const key = labelKey(labels);
          const cur = m.values.get(key);
          if (cur) cur.value += by;
          else m.values.set(key, { labels: { ...labels }, value: by });
        },
        get: (labels) => read(m, labels),
      };
    },
    gauge(name, help) {
      const m = register(name, help, 'gauge');
      return {
        set(value, labels) {
          m.values.set(labelKey(labels), { labels: { ...labels }, value });
        },
        get: (labels) => read(m, labels),
      };
    },
    render() {
      const out: string[] = [];
      for (const m of metrics.values()) {
        out.push(`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.type}`);
        // A counter nobody has touched still shows 0, so dashboards see it exists.
        if (m.values.size === 0) out.push(`${m.name} 0`);
        for (const [key, { value }] of m.values) out.push(`${m.name}${key ? `{${key}}` : ''} ${formatValue(value)}`);
      }
      return out.length ? `${out.join('\n')}\n` : '';
    },
  };
}

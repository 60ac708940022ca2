/**
 * Validates request bodies against Discord's official OpenAPI 3.1 description
 * (the fixture fixtures/discord/discord-openapi.json). The operation is resolved by method + path template;
 * request-body schemas are compiled lazily with ajv's 2020-12 draft and cached per process.
 */
import { readFileSync } from 'node:fs';
import { DISCORD_OPENAPI_PATH } from '../fixtures.ts';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const SPEC_PATH = DISCORD_OPENAPI_PATH;

interface Operation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: unknown;
}

export interface ValidationResult {
  ok: boolean;
  /** The path template the request matched, e.g. `/channels/{channel_id}/messages`. */
  template?: string;
  errors: string[];
}

let spec: Spec | undefined;
let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction | null>();
let templates: { template: string; re: RegExp; literals: number }[] = [];

function load(): { spec: Spec; ajv: Ajv2020 } {
  if (spec && ajv) return { spec, ajv };
  spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Spec;
  ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
  addFormats(ajv);
  ajv.addFormat('snowflake', /^(0|[1-9]\d{0,19})$/);
  ajv.addFormat('nonce', true);
  ajv.addFormat('int32', true);
  ajv.addFormat('int64', true);
  // Only components: `#/components/...` refs resolve inside this document.
  ajv.addSchema({ $id: 'discord', components: spec.components }, undefined, undefined, false);
  templates = Object.keys(spec.paths).map((template) => {
    const parts = template.split('/').map((p) => (p.startsWith('{') ? '[^/]+' : p.replace(/[.*+?^$()|[\]\\@]/g, '\\$&')));
    return { template, re: new RegExp(`^${parts.join('/')}$`), literals: template.split('/').filter((p) => p && !p.startsWith('{')).length };
  });
  // Literal segments beat parameters (`/messages/@original` before `/messages/{message_id}`).
  templates.sort((a, b) => b.literals - a.literals);
  return { spec, ajv };
}

/** The OpenAPI path template for a concrete path below `/api/v10`, if any. */
export function resolveTemplate(path: string): string | undefined {
  load();
  return templates.find((t) => t.re.test(path))?.template;
}

function validatorFor(template: string, method: string): ValidateFunction | null {
  const key = `${method} ${template}`;
  if (compiled.has(key)) return compiled.get(key) ?? null;
  const { spec: s, ajv: a } = load();
  const op = s.paths[template]?.[method];
  const schema = op?.requestBody?.content?.['application/json']?.schema;
  // Rewrite local refs so they resolve against the components document added above.
  const fn = schema ? a.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"discord#/components/'))) : null;
  compiled.set(key, fn);
  return fn;
}

/** Validates one JSON request body; `path` is below `/api/v10` (e.g. `/channels/1/messages`). */
export function validateRequest(method: string, path: string, body: unknown): ValidationResult {
  const template = resolveTemplate(path);
  if (!template) return { ok: false, errors: [`no operation in the OpenAPI description for ${method} ${path}`] };
  const m = method.toLowerCase();
  const { spec: s } = load();
  if (!s.paths[template]?.[m]) return { ok: false, template, errors: [`${method} is not an operation of ${template}`] };
  const fn = validatorFor(template, m);
  if (!fn) {
    return body === undefined ? { ok: true, template, errors: [] } : { ok: false, template, errors: ['operation takes no JSON body'] };
  }
  if (fn(body)) return { ok: true, template, errors: [] };
  const errors = (fn.errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  return { ok: false, template, errors };
}

/** Compiles the schemas of the calls a bot makes up front, so no request stalls on a first compile. */
export function warmValidators(): void {
  const calls: [string, string][] = [
    ['put', '/applications/{application_id}/commands'],
    ['put', '/applications/{application_id}/guilds/{guild_id}/commands'],
    ['post', '/interactions/{interaction_id}/{interaction_token}/callback'],
    ['patch', '/webhooks/{webhook_id}/{webhook_token}/messages/@original'],
    ['post', '/webhooks/{webhook_id}/{webhook_token}'],
    ['post', '/channels/{channel_id}/messages'],
    ['post', '/channels/{channel_id}/threads'],
    ['post', '/channels/{channel_id}/messages/{message_id}/threads'],
    ['post', '/users/@me/channels'],
  ];
  for (const [method, template] of calls) validatorFor(template, method);
}

const queryCompiled = new Map<string, ValidateFunction>();

/** A query value as the schema's type expects it (`limit=50` is the integer 50). */
function coerce(raw: string, schema: unknown): unknown {
  const type = (schema as { type?: unknown } | undefined)?.type;
  const types = Array.isArray(type) ? type : [type];
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** Validates a request's query string against the operation's `in: query` parameters. */
export function validateQuery(method: string, path: string, query: URLSearchParams): string[] {
  const template = resolveTemplate(path);
  const op = template ? load().spec.paths[template]?.[method.toLowerCase()] : undefined;
  if (!op) return [];
  const params = (op.parameters ?? []).filter((p) => p.in === 'query');
  const errors: string[] = [];
  for (const p of params) if (p.required && !query.has(p.name)) errors.push(`query ${p.name} is required`);
  for (const [name, raw] of query) {
    const p = params.find((x) => x.name === name);
    if (!p) {
      errors.push(`query ${name} is not a parameter of ${method} ${template}`);
      continue;
    }
    const key = `${method} ${template} ${name}`;
    let fn = queryCompiled.get(key);
    if (!fn) {
      fn = load().ajv.compile(JSON.parse(JSON.stringify(p.schema ?? {}).replaceAll('"#/components/', '"discord#/components/')));
      queryCompiled.set(key, fn);
    }
    if (!fn(coerce(raw, p.schema))) errors.push(`query ${name}=${raw}: ${(fn.errors ?? []).map((e) => e.message ?? e.keyword).join(', ')}`);
  }
  return errors;
}

/**
 * Discord rules the OpenAPI description does not express (or that this project insists on):
 * 6000 characters over all embeds of a message, and `allowed_mentions: {parse: []}` on every message.
 */
type Json = Record<string, unknown>;

function len(v: unknown): number {
  return typeof v === 'string' ? v.length : 0;
}

export function embedChars(embed: Json): number {
  let n = len(embed.title) + len(embed.description);
  n += len((embed.footer as Json | undefined)?.text) + len((embed.author as Json | undefined)?.name);
  for (const f of (embed.fields as Json[] | undefined) ?? []) n += len(f.name) + len(f.value);
  return n;
}

/** The message part of a body the bot sends, wherever it sits (callback data, thread starter). */
export function messagePart(template: string, body: Json): Json | undefined {
  if (template.endsWith('/callback')) {
    const t = body.type;
    return t === 4 || t === 7 ? (body.data as Json | undefined) : undefined;
  }
  if (template === '/channels/{channel_id}/threads') return body.message as Json | undefined;
  if (template === '/channels/{channel_id}/messages' || template.startsWith('/webhooks/')) return body;
  return undefined;
}

export function messageProblems(msg: Json): string[] {
  const problems: string[] = [];
  const am = msg.allowed_mentions as Json | undefined;
  if (!am || !Array.isArray(am.parse) || am.parse.length !== 0) problems.push('allowed_mentions must be {parse: []}');
  if (am && (Array.isArray(am.users) && am.users.length > 0 || Array.isArray(am.roles) && am.roles.length > 0)) {
    problems.push('allowed_mentions must not allow users or roles');
  }
  const embeds = (msg.embeds as Json[] | undefined) ?? [];
  const total = embeds.reduce((n, e) => n + embedChars(e), 0);
  if (total > 6000) problems.push(`embeds hold ${total} characters (> 6000)`);
  if (embeds.length > 10) problems.push(`${embeds.length} embeds (> 10)`);
  if (len(msg.content) > 2000) problems.push(`content of ${len(msg.content)} characters (> 2000)`);
  for (const row of (msg.components as Json[] | undefined) ?? []) {
    for (const c of (row.components as Json[] | undefined) ?? []) {
      if (len(c.custom_id) > 100) problems.push(`custom_id longer than 100: ${String(c.custom_id)}`);
    }
  }
  return problems;
}

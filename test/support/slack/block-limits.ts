/**
 * Checks a message the way Slack does before accepting it (`invalid_blocks`), with the limits from
 * Slack's Block Kit reference. Returns the problems found; empty means Slack would take it.
 */
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function textObj(t: unknown, where: string, max: number, problems: string[], plainOnly = false): void {
  if (!isObj(t)) return void problems.push(`${where}: missing text object`);
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn') problems.push(`${where}: bad text type ${String(t.type)}`);
  if (plainOnly && t.type !== 'plain_text') problems.push(`${where}: must be plain_text`);
  if (typeof t.text !== 'string' || t.text.length === 0) problems.push(`${where}: empty text`);
  else if (t.text.length > max) problems.push(`${where}: text ${t.text.length} > ${max}`);
}

function element(e: unknown, where: string, problems: string[]): void {
  if (!isObj(e)) return void problems.push(`${where}: not an object`);
  if (e.type === 'button') {
    textObj(e.text, `${where}.text`, 75, problems, true);
    if (typeof e.action_id === 'string' && e.action_id.length > 255) problems.push(`${where}: action_id > 255`);
    if (typeof e.value === 'string' && e.value.length > 2000) problems.push(`${where}: value > 2000`);
    if (typeof e.url === 'string' && e.url.length > 3000) problems.push(`${where}: url > 3000`);
  } else if (e.type === 'image') {
    if (typeof e.image_url !== 'string' || !/^https?:\/\//.test(e.image_url)) problems.push(`${where}: bad image_url`);
    if (typeof e.alt_text !== 'string' || e.alt_text.length === 0 || e.alt_text.length > 2000) problems.push(`${where}: bad alt_text`);
    // Slack downloads every image and refuses the message when it cannot; hosts named so stand in for that.
    if (typeof e.image_url === 'string' && e.image_url.includes('unreachable')) problems.push(`${where}: downloading image failed`);
  } else if (e.type !== 'plain_text' && e.type !== 'mrkdwn') {
    problems.push(`${where}: unsupported element ${String(e.type)}`);
  } else {
    textObj(e, where, 3000, problems);
  }
}

export function blockProblems(blocks: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks > 50`);
  const ids = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `blocks[${i}]`;
    if (!isObj(b)) return void problems.push(`${at}: not an object`);
    if (typeof b.block_id === 'string') {
      if (ids.has(b.block_id)) problems.push(`${at}: duplicate block_id`);
      ids.add(b.block_id);
    }
    switch (b.type) {
      case 'header':
        textObj(b.text, `${at}.text`, 150, problems, true);
        break;
      case 'section':
        if (b.text === undefined && b.fields === undefined) problems.push(`${at}: section without text or fields`);
        if (b.text !== undefined) textObj(b.text, `${at}.text`, 3000, problems);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) problems.push(`${at}: fields > 10`);
          else b.fields.forEach((f, j) => textObj(f, `${at}.fields[${j}]`, 2000, problems));
        }
        if (b.accessory !== undefined) element(b.accessory, `${at}.accessory`, problems);
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) problems.push(`${at}: context elements must be 1..10`);
        else b.elements.forEach((e, j) => element(e, `${at}.elements[${j}]`, problems));
        break;
      case 'actions': {
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25) problems.push(`${at}: actions elements must be 1..25`);
        else {
          const actionIds = new Set<string>();
          b.elements.forEach((e, j) => {
            element(e, `${at}.elements[${j}]`, problems);
            const id = isObj(e) ? e.action_id : undefined;
            if (typeof id === 'string') {
              if (actionIds.has(id)) problems.push(`${at}: duplicate action_id ${id}`);
              actionIds.add(id);
            }
          });
        }
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${at}: unsupported block ${String(b.type)}`);
    }
  });
  return problems;
}

/** Problems with a whole message payload (chat.postMessage or a response_url body). */
export function messageProblems(msg: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  if (msg.blocks !== undefined) problems.push(...blockProblems(msg.blocks));
  if (typeof msg.text !== 'string' || msg.text.trim() === '') problems.push('missing text fallback');
  else if (msg.text.length > 40_000) problems.push('text > 40000');
  return problems;
}

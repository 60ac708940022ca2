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
  } else if (e.type === 'plain_text_input' || e.type === 'timepicker' || e.type === 'static_select' || e.type === 'radio_buttons') {
    inputElement(e, where, problems);
  } else if (e.type !== 'plain_text' && e.type !== 'mrkdwn') {
    problems.push(`${where}: unsupported element ${String(e.type)}`);
  } else {
    textObj(e, where, 3000, problems);
  }
}

/** The elements of input blocks (modals), with the limits of Slack's Block Kit reference. */
function inputElement(e: Json, where: string, problems: string[]): void {
  if (typeof e.action_id !== 'string' || e.action_id.length === 0 || e.action_id.length > 255) problems.push(`${where}: bad action_id`);
  if (e.placeholder !== undefined) textObj(e.placeholder, `${where}.placeholder`, 150, problems, true);
  if (e.type === 'plain_text_input') {
    if (e.max_length !== undefined && (typeof e.max_length !== 'number' || e.max_length < 1 || e.max_length > 3000)) problems.push(`${where}: max_length must be 1..3000`);
    if (e.initial_value !== undefined && typeof e.initial_value !== 'string') problems.push(`${where}: initial_value must be a string`);
  } else if (e.type === 'timepicker') {
    if (e.initial_time !== undefined && !(typeof e.initial_time === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(e.initial_time))) problems.push(`${where}: initial_time must be HH:mm`);
  } else {
    const max = e.type === 'radio_buttons' ? 10 : 100;
    if (!Array.isArray(e.options) || e.options.length === 0 || e.options.length > max) return void problems.push(`${where}: options must be 1..${max}`);
    const values = new Set<string>();
    e.options.forEach((o, j) => {
      if (!isObj(o)) return void problems.push(`${where}.options[${j}]: not an object`);
      textObj(o.text, `${where}.options[${j}].text`, 75, problems, e.type === 'static_select');
      if (typeof o.value !== 'string' || o.value.length === 0 || o.value.length > 150) problems.push(`${where}.options[${j}]: bad value`);
      else values.add(o.value);
    });
    const initial = e.initial_option;
    if (initial !== undefined && !(isObj(initial) && typeof initial.value === 'string' && values.has(initial.value))) problems.push(`${where}: initial_option is not one of the options`);
  }
}

export function blockProblems(blocks: unknown, maxBlocks = 50): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
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
      case 'input':
        textObj(b.label, `${at}.label`, 2000, problems, true);
        if (b.hint !== undefined) textObj(b.hint, `${at}.hint`, 2000, problems, true);
        if (typeof b.block_id !== 'string') problems.push(`${at}: input without block_id (its value could not be read back)`);
        if (!isObj(b.element) || !['plain_text_input', 'timepicker', 'static_select', 'radio_buttons'].includes(String(b.element.type))) problems.push(`${at}: unsupported input element`);
        else element(b.element, `${at}.element`, problems);
        break;
      default:
        problems.push(`${at}: unsupported block ${String(b.type)}`);
    }
  });
  return problems;
}

/** Problems with a view (views.publish for the Home tab, views.open / response_action for modals). */
export function viewProblems(view: unknown): string[] {
  if (!isObj(view)) return ['view is not an object'];
  const problems: string[] = [];
  if (view.type !== 'home' && view.type !== 'modal') problems.push(`view type ${String(view.type)}`);
  problems.push(...blockProblems(view.blocks, 100));
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) problems.push('callback_id > 255');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) problems.push('private_metadata > 3000');
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  if (view.type === 'modal') {
    textObj(view.title, 'title', 24, problems, true);
    if (view.close !== undefined) textObj(view.close, 'close', 24, problems, true);
    if (view.submit !== undefined) textObj(view.submit, 'submit', 24, problems, true);
    if (view.submit === undefined && blocks.some((b) => isObj(b) && b.type === 'input')) problems.push('a modal with inputs needs submit');
  } else if (blocks.some((b) => isObj(b) && b.type === 'input')) {
    problems.push('input blocks are for modals');
  }
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

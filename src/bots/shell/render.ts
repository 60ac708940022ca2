/** The neutral Reply as terminal text: colours and OSC 8 links on a TTY, plain text otherwise. */
import { createColors } from 'picocolors';
import type { Button, NoticeLevel, Paper, PaperHit, Reply, ReplyBlock } from '../../core/index.ts';
import { arxivLine, onHuggingFace, paperUrl, upvotesOf } from '../../core/index.ts';

export interface RenderOptions {
  /** ANSI colours. */
  color: boolean;
  /** OSC 8 hyperlinks (clickable in most modern terminals). */
  links: boolean;
  /** Wrap width for summaries. */
  width?: number;
}

export const plainText: RenderOptions = { color: false, links: false };

export function ttyOptions(stream: { isTTY?: boolean; columns?: number }): RenderOptions {
  const tty = stream.isTTY === true && !process.env.NO_COLOR;
  return { color: tty, links: tty, width: stream.columns };
}

/** Paper text may hold control characters; a title must never be able to drive the terminal. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

function oneLine(text: string): string {
  return clean(text).replace(/\s+/g, ' ').trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function createRenderer(opts: RenderOptions) {
  const c = createColors(opts.color);
  const link = (text: string, url: string): string => {
    const safeUrl = clean(url).replace(/\s/g, '');
    if (!opts.links || !/^https?:\/\//.test(safeUrl)) return text;
    return `\u001b]8;;${safeUrl}\u001b\\${text}\u001b]8;;\u001b\\`;
  };
  // Without clickable links the URL itself has to be shown.
  const linkOrUrl = (label: string, url: string): string => (opts.links ? link(c.underline(label), url) : `${label}: ${clean(url)}`);

  const noticeMark: Record<NoticeLevel, string> = {
    info: c.blue('i'),
    success: c.green('✓'),
    warning: c.yellow('!'),
    error: c.red('✗'),
  };

  function summaryOf(p: Paper): string {
    const text = p.aiSummary ?? p.abstract.split(/(?<=\.)\s/)[0] ?? '';
    // One line on a terminal; in a pipe or log there is no width to respect.
    return truncate(oneLine(text), opts.width ? Math.max(60, opts.width - 6) : 300);
  }

  function authorsOf(p: Paper): string {
    const names = p.authors.slice(0, 3).map(oneLine);
    return names.length === 0 ? '' : names.join(', ') + (p.authors.length > 3 ? ' et al.' : '');
  }

  function paper(hit: PaperHit, rank: number): string[] {
    const p = hit.paper;
    const title = c.bold(oneLine(p.title));
    const head = `${c.dim(`${rank}.`)} ${opts.links ? link(title, paperUrl(p)) : title}`;
    const upvotes = upvotesOf(p);
    const meta = [upvotes !== undefined ? c.yellow(`▲ ${upvotes}`) : '', oneLine(arxivLine(p) ?? ''), authorsOf(p), p.listedOn].filter(Boolean).join(c.dim(' · '));
    const links = [linkOrUrl('arXiv', p.links.arxiv), linkOrUrl('PDF', p.links.pdf)];
    if (!opts.links && onHuggingFace(p)) links.unshift(`HF: ${p.links.hf}`);
    if (p.githubRepo) links.push(linkOrUrl(`code${p.githubStars !== undefined ? ` ★${p.githubStars}` : ''}`, p.githubRepo));
    if (p.projectPage) links.push(linkOrUrl('project', p.projectPage));
    const lines = [head, `   ${meta}`];
    const summary = summaryOf(p);
    if (summary) lines.push(`   ${summary}`);
    lines.push(`   ${links.join(c.dim(opts.links ? ' · ' : '  '))}`);
    if (hit.matched.length > 0) lines.push(`   ${c.dim(`matched: ${hit.matched.map(oneLine).join(', ')}`)}`);
    if (hit.shares?.length) lines.push(`   ${c.dim(`shares: ${hit.shares.map(oneLine).join(', ')}`)}`);
    return lines;
  }

  /** Buttons numbered on from those already shown; typing the number presses one. */
  function numbered(shown: Button[], buttons: Button[]): string {
    const start = buttons.length;
    buttons.push(...shown);
    return shown.map((btn, i) => c.cyan(`[${start + i + 1}] ${oneLine(btn.label)}`)).join('  ');
  }

  function block(b: ReplyBlock, buttons: Button[]): string[] {
    switch (b.type) {
      case 'header':
        return [c.bold(c.cyan(oneLine(b.text)))];
      case 'text':
        return clean(b.text).split('\n');
      case 'notice':
        return clean(b.text).split('\n').map((l, i) => (i === 0 ? `${noticeMark[b.level]} ${l}` : `  ${l}`));
      case 'paper':
        if (b.compact) {
          const title = c.bold(oneLine(b.hit.paper.title));
          const linked = opts.links ? link(title, b.hit.paper.links.hf) : `${title} ${b.hit.paper.links.hf}`;
          return [[`${c.dim(`${b.rank}.`)} ${linked}`, c.yellow(`▲ ${b.hit.paper.upvotes}`), ...b.hit.matched.map(oneLine)].join(c.dim(' · '))];
        }
        return [...paper(b.hit, b.rank), ...(b.buttons?.length ? [`   ${numbered(b.buttons, buttons)}`] : []), ''];
      case 'more':
        return [c.dim(`…and ${b.count} more`) + (b.url ? ` ${opts.links ? link(c.underline('see all'), b.url) : b.url}` : '')];
      case 'fields': {
        const w = Math.max(...b.fields.map((f) => oneLine(f.label).length));
        return b.fields.map((f) => `${c.dim(`${oneLine(f.label).padEnd(w)}`)}  ${oneLine(f.value)}`);
      }
      case 'actions':
        return [numbered(b.buttons, buttons) + c.dim('  (type the number)')];
    }
  }

  /** Text of the reply, and its buttons in the order they are numbered on screen. */
  return function render(r: Reply): { text: string; buttons: Button[] } {
    const buttons: Button[] = [];
    const lines = r.blocks.flatMap((b) => block(b, buttons));
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return { text: lines.join('\n'), buttons };
  };
}

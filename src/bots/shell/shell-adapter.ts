/** The terminal as a platform: typed commands at a prompt, replies and digests printed as text. */
import { createInterface, type Interface } from 'node:readline';
import {
  destinationKey,
  type Adapter,
  type Button,
  type CommandContext,
  type CoreDeps,
  type Destination,
  type Logger,
  type Reply,
} from '../../core/index.ts';
import { parseCommandText, runAction, runCommand } from '../../core/commands/index.ts';
import { createRenderer, ttyOptions, type RenderOptions } from './render.ts';

export const SHELL_USER = { platform: 'shell', kind: 'user', id: 'local' } as const;
export const SHELL_CHANNEL = { platform: 'shell', kind: 'channel', id: 'terminal' } as const;

export const shellContext: CommandContext = {
  platform: 'shell',
  user: SHELL_USER,
  channel: SHELL_CHANNEL,
  canManageChannel: true,
};

export interface ShellAdapterOptions {
  deps: CoreDeps;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  logger?: Logger;
  render?: RenderOptions;
  /** Run once at start before the prompt (the app's first-start fetch into an empty store). */
  firstRun?: (io: { output: NodeJS.WritableStream & { isTTY?: boolean }; print: (text: string) => void; signal: AbortSignal }) => Promise<void>;
  /** Called once the user leaves (Ctrl-D, Ctrl-C, `exit`), after pending commands finish. */
  onExit?: () => void | Promise<void>;
}

export interface ShellAdapter extends Adapter {
  /** Resolves when the prompt has closed and every typed command has finished. */
  readonly closed: Promise<void>;
  /** Runs one typed line as if entered at the prompt (also used by tests). */
  handleLine(line: string): Promise<void>;
}

const BANNER = 'Paperboy: type /papers QUERY, /topics add TOPIC, /digest add TOPIC, help, or exit (Ctrl-D).';

export function createShellAdapter(opts: ShellAdapterOptions): ShellAdapter {
  const { deps } = opts;
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const logger = opts.logger ?? deps.logger;
  const render = createRenderer(opts.render ?? ttyOptions(output));
  let rl: Interface | undefined;
  let buttons: Button[] = [];
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;
  const abort = new AbortController();
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  const print = (text: string) => {
    if (text) output.write(`${text}\n`);
  };
  const show = (r: Reply) => {
    const out = render(r);
    if (out.buttons.length > 0) buttons = out.buttons;
    print(out.text);
  };

  async function handleLine(raw: string): Promise<void> {
    const line = raw.trim();
    if (!line) return;
    if (/^(exit|quit|\/exit|\/quit)$/i.test(line)) {
      rl?.close();
      return;
    }
    // A number presses the button shown with it (next page, subscribe).
    if (/^\d{1,2}$/.test(line) && buttons.length > 0) {
      const button = buttons[Number(line) - 1];
      if (!button) return print(`No button ${line}; choose 1 to ${buttons.length}.`);
      show(await runAction(button.action, shellContext, deps));
      return;
    }
    const parsed = parseCommandText(line.startsWith('/') || /^(help|\?)$/i.test(line) ? line : `/${line}`);
    if ('error' in parsed) return show(parsed.error);
    show(await runCommand(parsed.spec, shellContext, parsed.args, deps));
  }

  const enqueue = (line: string) => {
    queue = queue
      .then(() => handleLine(line))
      .catch((e: unknown) => {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'shell command failed');
        print('Something went wrong with that command; it has been logged.');
      })
      .finally(() => {
        if (!stopped) rl?.prompt();
      });
  };

  return {
    platform: 'shell',
    closed,
    handleLine,
    async start() {
      print(BANNER);
      await opts.firstRun?.({ output, print, signal: abort.signal });
      if (stopped) return;
      rl = createInterface({ input, output, prompt: 'paperboy> ', terminal: output.isTTY === true });
      rl.on('line', enqueue);
      // Ctrl-C at the prompt leaves like Ctrl-D does.
      rl.on('SIGINT', () => rl?.close());
      rl.on('close', () => {
        stopped = true;
        void queue.then(async () => {
          print('');
          await opts.onExit?.();
          resolveClosed();
        });
      });
      rl.prompt();
    },
    async stop() {
      stopped = true;
      abort.abort();
      rl?.close();
      await queue;
    },
    async deliver(destination: Destination, message: Reply) {
      const who = destinationKey(destination) === destinationKey(SHELL_USER) ? 'your digest' : `digest for #${destination.id}`;
      print(`\n── ${who} ──`);
      show(message);
      if (!stopped) rl?.prompt(true);
    },
    health() {
      return { connected: !stopped, detail: stopped ? 'prompt closed' : 'terminal prompt' };
    },
  };
}

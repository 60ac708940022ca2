export { createShellAdapter, shellContext, SHELL_USER, SHELL_CHANNEL, type ShellAdapter, type ShellAdapterOptions } from './shell-adapter.ts';
export { createRenderer, ttyOptions, plainText, clean, type RenderOptions } from './render.ts';

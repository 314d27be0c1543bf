import type { ExtensionOption } from './extension-records.js';

const RUNS = { 'in-process': "runs in the agent's own process", isolated: 'runs isolated, in a sandboxed process of its own' } as const;

/** "none (...)" when a plugin asks for nothing beyond the least, else what it asks for. */
function permissionWords(lines: string[] | undefined): string {
  if (!lines) return 'read when it is installed';
  const granted = lines.filter((l) => !l.startsWith('no '));
  return granted.length ? granted.join('; ') : 'none (no network, storage, model calls or posting)';
}

function settingWords(settings: ExtensionOption['settings']): string {
  if (!settings) return 'read when it is installed';
  if (settings.length === 0) return 'none';
  return settings.map((s) => `${s.name} (${[s.sensitive ? 'secret' : '', s.required ? 'required' : 'optional'].filter(Boolean).join(', ')})`).join(', ');
}

/** The plugin's name as it will be installed. */
export function optionPlugin(option: ExtensionOption): string {
  return option.kind === 'install' ? option.name : option.pluginName;
}

/** Where and how a person sets a plugin's settings: never in chat. */
export function settingsAdvice(plugin: string, names: string[], sensitive: ReadonlySet<string>): string {
  const cli = names.map((n) => (sensitive.has(n) ? `--secret ${n}` : `${n}=...`)).join(' ');
  return (
    `Please set ${names.join(', ')} outside the chat (secrets are never asked for here): the Configure button on ${plugin} in the ` +
    `plugin-dynamic panel (Plugin Hub tab), or \`plugin-dynamic configure ${plugin} ${cli}\`.`
  );
}

function optionLines(option: ExtensionOption, n: number): string[] {
  const head =
    option.kind === 'install'
      ? `${n}. Install ${option.name}${option.version ? ` ${option.version}` : ''} from the ${option.foundIn}${option.description ? `: ${option.description}` : ''}`
      : `${n}. Write a new plugin, ${option.pluginName} (built, linted and tested before it loads):`;
  const body = option.kind === 'create' ? option.summary.map((s) => `   - ${s}`) : [];
  return [
    head,
    ...body,
    `   Settings: ${settingWords(option.settings)}. Permissions: ${permissionWords(option.permissions)}.`,
    `   Trust tier: ${option.trust}; it ${RUNS[option.runs]}.`,
  ];
}

/** The offer a person answers: the options, what each needs, and how to answer. */
export function offerText(options: ExtensionOption[], reason: string): string {
  const secrets = options.flatMap((o) => (o.settings ?? []).filter((s) => s.required || s.sensitive).map((s) => ({ plugin: optionPlugin(o), s })));
  const lines = [
    `I can't do that yet, but I can add a plugin that does (${reason.charAt(0).toLowerCase()}${reason.slice(1).replace(/\.$/, '')}):`,
    ...options.flatMap((o, i) => optionLines(o, i + 1)),
    options.length > 1
      ? 'Say "yes" (or "1" or "2") to go ahead, or "no". Nothing is installed or written until you say so.'
      : 'Say "yes" to go ahead, or "no". Nothing is installed or written until you say so.',
  ];
  for (const plugin of [...new Set(secrets.map((x) => x.plugin))]) {
    const mine = secrets.filter((x) => x.plugin === plugin).map((x) => x.s);
    lines.push(settingsAdvice(plugin, mine.map((s) => s.name), new Set(mine.filter((s) => s.sensitive).map((s) => s.name))));
  }
  return lines.join('\n');
}

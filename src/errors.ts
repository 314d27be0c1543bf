/**
 * Every error the package raises, with a stable code and the advice a person needs to fix it.
 *
 * Check errors by `code`, never with `instanceof`: plugins are loaded as separate module copies.
 */

export const ERROR_CATALOGUE = {
  // configuration and input
  INVALID_INPUT: 'Check the value named in the message and send it again.',
  INVALID_SETTING: 'Fix the setting named in the message (character settings or environment) and restart.',
  INVALID_PLUGIN_NAME:
    'Use an npm package name such as "@elizaos/plugin-weather" or "plugin-weather": lower case, no spaces, no "..", no shell characters.',
  INVALID_VERSION: 'Use a semver version or range such as "1.2.3" or "^1.2.0".',
  INVALID_SOURCE:
    'Install from a registry name, "name@range", "github:owner/repo#ref", a local folder or a .tgz tarball.',
  PATH_OUTSIDE_ALLOWED:
    'Give a path inside the folder you named (or inside the data directory); ".." and links that leave it are refused.',
  // registry
  REGISTRY_UNAVAILABLE:
    'The plugin registry could not be fetched and no cached copy exists. Check the network or PLUGIN_DYNAMIC_REGISTRY_URL.',
  REGISTRY_INVALID: 'The registry answered with something that is not a plugin registry. Check PLUGIN_DYNAMIC_REGISTRY_URL.',
  PLUGIN_NOT_FOUND: 'Search the registry (LIST_AVAILABLE_PLUGINS) and use a name from the results.',
  PLUGIN_AMBIGUOUS: 'Several plugins match: repeat the request with one of the names listed.',
  // install
  INSTALL_FAILED: 'The package could not be installed; the npm output in the message says why.',
  INSTALL_TIMEOUT: 'npm took too long. Try again, or raise PLUGIN_DYNAMIC_INSTALL_TIMEOUT_MS.',
  NOT_A_PLUGIN: 'The package does not export an ElizaOS Plugin (an object with a name and a description).',
  INCOMPATIBLE_PLUGIN: 'The plugin targets another ElizaOS version; pick a release built for ElizaOS 1.x.',
  INSTALL_SCRIPTS_REFUSED:
    'The package runs scripts at install time. Allow it by name with PLUGIN_DYNAMIC_ALLOW_INSTALL_SCRIPTS if you trust it.',
  UNSAFE_DEPENDENCY: 'The package depends on git, URL or out-of-tree file: sources, which are refused by default.',
  ALREADY_INSTALLED: 'The plugin is installed already; uninstall it first, or, for a plugin made by a creation job, ask again with replace.',
  NOT_INSTALLED: 'Install the plugin first (INSTALL_PLUGIN).',
  LOCKFILE_INVALID:
    'npm left no lockfile, or a package in it has no integrity hash; install from a source npm can pin (a registry version, a folder, a tarball).',
  RESTORE_FAILED:
    "The plugin's files could not be reinstalled from its lockfile (reason in the message); uninstall it and install it again.",
  SIGNATURE_INVALID:
    "A registry signature of the plugin's packages does not check against the registry's keys, so it is not loaded in-process: run it isolated, or uninstall it and install a release whose signature checks.",
  // lifecycle
  ILLEGAL_TRANSITION: 'The plugin is not in a state that allows this; the message lists what is allowed now.',
  NEEDS_CONFIGURATION: 'Set the missing settings with CONFIGURE_PLUGIN, then activate the plugin.',
  UNKNOWN_SETTING: 'Configure only the settings the plugin declares; the message lists them.',
  COMPONENT_CONFLICT: 'Another loaded plugin already registers a component with this name; unload it first.',
  LOAD_FAILED: 'The plugin failed while loading and was rolled back; the reason is in the message.',
  LOAD_TIMEOUT: 'The plugin did not finish init or start its services in time and was rolled back.',
  PROTECTED_PLUGIN: 'Plugins registered when the agent started (and plugin-dynamic itself) cannot be installed again, unloaded or uninstalled at runtime.',
  APPROVAL_REQUIRED:
    'An isolated plugin runs only with what a person approved: read what it asks for (and, on an upgrade, what changed), then answer "yes, allow PLUGIN" (APPROVE_PLUGIN) to approve and activate it.',
  // state and secrets
  STATE_CORRUPT: 'A stored record was unreadable; it was moved aside and the rest was kept.',
  SECRET_KEY_UNAVAILABLE:
    'Set PLUGIN_DYNAMIC_SECRET_KEY, or make the key file readable only by this user, to decrypt stored secrets.',
  // creation
  INVALID_SPEC: 'Fix the field named in the message; the message says what is allowed.',
  DESCRIPTION_UNUSABLE: 'Describe what the plugin should do in one or two sentences, naming the things it acts on.',
  JOB_NOT_FOUND: 'List the creation jobs and use one of their ids.',
  JOB_RATE_LIMITED: 'Too many plugin creations in the last hour; wait or raise PLUGIN_DYNAMIC_JOBS_PER_HOUR.',
  JOB_CANCELLED: 'The job was cancelled on request.',
  JOB_TIMEOUT: 'The job ran past its deadline; raise PLUGIN_DYNAMIC_JOB_DEADLINE_MS or simplify the specification.',
  JOB_INTERRUPTED: 'The process stopped while the job ran; create the plugin again.',
  GENERATION_FAILED: 'The plugin did not pass build, lint, tests and validation within the allowed iterations.',
  GENERATOR_DEFECT:
    "The template generator's own output failed one of its gates: this is a defect of plugin-dynamic, not of your specification. Report it with the message (the specification and the failure); creating the plugin again gives the same result, a model generator may not.",
  MODEL_UNAVAILABLE: 'No text model is registered; use the template generator or add a model plugin.',
  MODEL_TIMEOUT:
    'The model took longer than one call may; raise PLUGIN_DYNAMIC_MODEL_CALL_TIMEOUT_MS for a slow model, or use a faster one.',
  MODEL_OUTPUT_REFUSED:
    "The model's answer was refused whole (a file it may not write, or an edit whose SEARCH text is not found exactly once); nothing was written and the next iteration is told why.",
  TOOLCHAIN_UNAVAILABLE: 'The TypeScript/ESLint/Vitest toolchain could not be prepared; run `plugin-dynamic doctor`.',
  UNSAFE_WORKSPACE_FILE:
    'Generated code left a link, a device or pipe, or an oversized file where the agent reads or writes; it was not followed. Fix the tests so they leave the workspace alone.',
  SHIPPED_BUILD_MISMATCH:
    'The files to install differ from the build the job checked; nothing was installed. Create the plugin again.',
  SOURCE_SCAN_FAILED:
    'The static scan that gates every generated plugin gave no usable answer, so validation failed closed. Run `plugin-dynamic doctor` to check Node and the sandbox, then create the plugin again; report it if it repeats.',
  // processes and sandbox
  PROCESS_TIMEOUT: 'A child process ran past its time limit and was killed with its whole process group.',
  PROCESS_OUTPUT_LIMIT: 'A child process printed more than the output cap and was killed.',
  SANDBOX_UNAVAILABLE:
    'Install bubblewrap (apt-get install bubblewrap), or set PLUGIN_DYNAMIC_SANDBOX=none to run generated code unsandboxed.',
  NODE_UNAVAILABLE:
    'Child processes need Node >= 20.19 even when the agent runs on bun: install it and put it on PATH, or set PLUGIN_DYNAMIC_NODE to the node binary.',
  // plugin hosts (isolated plugins)
  HOST_CALL_FAILED:
    "A call into an isolated plugin failed inside its host; the plugin's own error is in the message.",
  HOST_CALL_TIMEOUT:
    'An isolated plugin did not answer within PLUGIN_DYNAMIC_HOST_CALL_TIMEOUT_MS; a host that stops answering altogether is restarted.',
  HOST_DIED:
    "An isolated plugin's host process ended (crash, memory or output bound); it is restarted with backoff, then left in error. Check the reason, fix the plugin, activate it again.",
  HOST_UNSUPPORTED_METHOD:
    'Isolated plugins get a narrow runtime; use only what it offers (see "Isolated plugins" in the README), or run the plugin in-process with SET_PLUGIN_ISOLATION if you trust it.',
  HOST_LIMIT_REACHED:
    'An isolated plugin used up one of its budgets (model calls, forwarded calls, restarts, task workers); budgets are per plugin over time windows, so restarting it does not reset them. Wait for the window to pass, or raise PLUGIN_DYNAMIC_HOST_MAX_MODEL_CALLS.',
  // HTTP
  UNAUTHORIZED:
    'Send the token from PLUGIN_DYNAMIC_API_TOKEN as "Authorization: Bearer <token>" (the CLI: --token or PLUGIN_DYNAMIC_API_TOKEN).',
  SERVER_API_KEY_REQUIRED:
    'The ElizaOS server has ELIZA_SERVER_AUTH_TOKEN set: send that key as the X-API-KEY header (the CLI sends ELIZA_SERVER_AUTH_TOKEN from its environment; the panel uses the key the web client stored, or asks for it).',
  DATA_DIR_BUSY:
    'Another plugin-dynamic command is using this data folder; wait for it to finish, or pass another --data-dir.',
  AGENT_UNREACHABLE:
    'Start the agent, or fix --agent-url: the server (http://host:3000), the agent (.../api/agents/<id>) or the plugin address (.../plugins/plugin-dynamic).',
  INTERNAL: 'An unexpected error; run with --verbose and report it.',
  // the agent's origin, confirmations and quotas (issue 18)
  ROUTE_CONTENT_REFUSED:
    "An isolated plugin's routes answer JSON or plain text only, never active content on the agent's origin; run the plugin in-process if you trust its pages.",
  CONFIRMATION_REQUIRED:
    "Moving a plugin into the agent's process needs a person: repeat the request with the plugin's name and the one-time code the agent printed on its terminal (not in its log).",
  STORAGE_QUOTA_EXCEEDED:
    "The plugin stored more than its quota and was stopped; free its data, or raise PLUGIN_DYNAMIC_PLUGIN_STORAGE_MB, then activate it again.",
  // the fleet: jobs and built plugins in a shared PostgreSQL (issue 21)
  FLEET_DATABASE_UNREACHABLE:
    'The PostgreSQL server could not be reached: check POSTGRES_URL (or --postgres-url), that the server is running, and that it accepts this user and database.',
  FLEET_SCHEMA_DENIED:
    "The database user may not create plugin-dynamic's schemas (plugin_dynamic_boss, plugin_dynamic_fleet): grant it CREATE on the database, or start one agent or worker once as a user that may.",
  FLEET_SANDBOX_REQUIRED:
    'A worker runs generated code only inside the sandbox: install bubblewrap (scripts/setup-system.sh main) and leave PLUGIN_DYNAMIC_SANDBOX at auto or bwrap.',
  FLEET_BUILD_MISMATCH:
    "The stored build's tarball does not hash to the sha256 recorded with it, so it was not installed: create the plugin again.",
  FLEET_JOB_TAKEN: 'Another worker holds this job now and runs it; nothing to do here.',
  FLEET_RETRIES_EXHAUSTED:
    'Every worker that took this job stopped before it ended: check the workers\' logs and memory bounds, then create the plugin again.',
  PERMISSION_NOT_DECLARED:
    "An isolated plugin may do only what its package.json declares under agentConfig.permissions (model calls, storage, task workers, events, routes, posting to rooms); declare it there and install the plugin again, or run it in-process if you trust it.",
  // posting to the web client
  WEB_CHAT_UNAVAILABLE:
    "A post to the web chat goes through the ElizaOS server's message bus: run the agent with the server (elizaos start), and post to a room a web-client message came from. A fired reminder is still kept in the room's messages.",
  // self-extension (issue 22)
  EXTENSION_DISABLED: 'Self-extension is off (PLUGIN_DYNAMIC_SELF_EXTENSION=off); install or create the plugin yourself, or turn it on.',
  EXTENSION_NOT_ALLOWED:
    "Only the agent's owner and admins (world roles), or the entity ids in PLUGIN_DYNAMIC_EXTEND_ALLOWED, may have the agent add plugins; ask one of them.",
  EXTENSION_RATE_LIMITED: 'The agent added as many plugins as it may this hour; wait, or raise PLUGIN_DYNAMIC_EXTENSIONS_PER_HOUR.',
  EXTENSION_REFUSED: 'Ask for something a plugin can do for people: fetch or keep data, convert, compute, call a service.',
  FLEET_NOT_IN_USE:
    'Builds of the fleet are installed by an agent on PostgreSQL: set POSTGRES_URL for the agent (or for the CLI), or reach such an agent with --agent-url.',
  FLEET_MODEL_REQUIRED:
    'A plugin-dynamic worker has no language model: submit jobs that need one (a description, or PLUGIN_DYNAMIC_GENERATOR=model) to an agent with worker lanes (PLUGIN_DYNAMIC_FLEET_WORKERS of 1 or more), or use the template generator.',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/*
 * What each error says, by code: a message template whose {slots} a raise fills in, so a code reads
 * the same wherever it is raised (the habit of fastify's and avvio's error catalogues). The slot
 * names are read from the template by the type system: a raise that misses or misspells one does
 * not compile.
 */
export const ERROR_MESSAGES = {
  // The value or flag named, then what is wrong with it (and what to send instead).
  INVALID_INPUT: '{input} {problem}',
  INVALID_SETTING: '{setting} is invalid: {problem}.',
  PATH_OUTSIDE_ALLOWED: '"{path}" leaves {root} ({reason}).',
  NEEDS_CONFIGURATION: '{plugin} cannot {action} yet: {problem}.',
  ILLEGAL_TRANSITION: '{subject} is {state}; it cannot {change}. Allowed from {state}: {allowed}.',
  INVALID_SPEC: 'Cannot {action} {spec} ({problem}).',
  JOB_NOT_FOUND: 'No plugin creation job {which}.',
  JOB_CANCELLED: 'The job was cancelled {when}.',
  MODEL_TIMEOUT: 'The model did not answer within {seconds} s (PLUGIN_DYNAMIC_MODEL_CALL_TIMEOUT_MS).',
  MODEL_OUTPUT_REFUSED: "The model's answer was refused: {problem}.",
  TOOLCHAIN_UNAVAILABLE: 'The toolchain is not usable: {problem}.',
  UNSAFE_WORKSPACE_FILE: '{path} {problem}; the agent did not {action} it.',
  PROCESS_TIMEOUT: '{process} ran past its time limit and was killed.',
  PROCESS_OUTPUT_LIMIT: '{process} printed more than {limit} and was killed.',
  SANDBOX_UNAVAILABLE:
    'bubblewrap is not available here ({reason}), so generated code will not run. Install it (apt-get install bubblewrap) or set PLUGIN_DYNAMIC_SANDBOX=none to run it without isolation.',
  NODE_UNAVAILABLE:
    'plugin-dynamic runs npm, the type checker, the linter, the tests and the import checks on Node >= 20.19, and found none: {refused}. This agent runs on {host}. Install Node 20.19 or newer and put it on PATH, or set PLUGIN_DYNAMIC_NODE to its path.',
  SERVER_API_KEY_REQUIRED: 'The ElizaOS server refused {request}: {problem}.',
  DATA_DIR_BUSY: '{holder} is using {dataDir}.',
  AGENT_UNREACHABLE: 'Could not {action} at {url}: {problem}.',
  // What failed, then how.
  INTERNAL: '{what} {problem}',
  // install and registry
  INVALID_PLUGIN_NAME: '"{name}" {problem}',
  INVALID_VERSION: '"{range}" is not a semver version or range (e.g. 1.2.3, ^1.2.0).',
  INVALID_SOURCE: '{source} {problem}',
  REGISTRY_UNAVAILABLE: 'The registry at {url} {reason}.',
  REGISTRY_INVALID: 'The registry at {url} {reason}.',
  PLUGIN_NOT_FOUND: '{subject} {problem}',
  PLUGIN_AMBIGUOUS: '{word} could mean {candidates}. Say which one{purpose}.',
  INSTALL_FAILED: '{subject} {problem}',
  NOT_A_PLUGIN: '{subject} {problem}',
  INCOMPATIBLE_PLUGIN: '{plugin} {problem}.',
  INSTALL_SCRIPTS_REFUSED:
    '{plugin} declares install-time scripts ({scripts}). Add "{plugin}" to PLUGIN_DYNAMIC_ALLOW_INSTALL_SCRIPTS if you trust it.',
  UNSAFE_DEPENDENCY: '{plugin} depends on {dependency} from "{spec}", outside {allowed}.',
  // One wording from the installer, the management service and the creation service.
  ALREADY_INSTALLED: '{plugin} is installed already{origin}; {advice}.',
  NOT_INSTALLED: '{subject} {problem}',
  LOCKFILE_INVALID: '{file} {problem}',
  RESTORE_FAILED: '{subject} {problem}',
  SIGNATURE_INVALID: '{plugin} is not loaded in-process: {reason}. Run it isolated (isolate {plugin} isolated), or uninstall it and install a release whose signature checks.',
  // lifecycle
  UNKNOWN_SETTING: '{plugin} has no setting {unknown}. Its settings: {declared}.',
  // One shape for a clash found at submission ("be created") and at load ("load").
  COMPONENT_CONFLICT: '{plugin} cannot {step}: {conflicts}.{after}',
  LOAD_FAILED: '{subject} {problem}',
  LOAD_TIMEOUT: '{what} did not finish within {ms} ms.',
  PROTECTED_PLUGIN: '{plugin} was registered when the agent started{as}; it cannot be {change} at runtime.',
  APPROVAL_REQUIRED:
    '{plugin} needs your approval before it runs isolated{why}. It asks for: {request}.{diff} Nothing of it runs until you approve: plugin-dynamic approve {name} --activate, Allow in the Plugin Hub panel, or "yes, allow {name}" in chat.',
  SECRET_KEY_UNAVAILABLE: '{subject} {problem}',
  // creation
  DESCRIPTION_UNUSABLE: 'The description {problem}.',
  JOB_RATE_LIMITED: '{count} plugin creations started in the last hour (limit {limit}). Try again later.',
  JOB_TIMEOUT: 'The job ran past its {seconds} s deadline.',
  JOB_INTERRUPTED: 'interrupted: {reason}.',
  GENERATION_FAILED: 'The plugin did not pass after {iterations} iteration(s){detail}',
  MODEL_UNAVAILABLE: '{what} was asked for, but no TEXT_LARGE model is registered.',
  SHIPPED_BUILD_MISMATCH: 'The installed dist/ of {plugin} hashes {actual}, not {expected} as the creation job recorded; it was not installed.',
  SOURCE_SCAN_FAILED: 'The static scan of the generated sources failed ({problem}), so the plugin was not validated.',
  // HTTP
  // Kept word for word: the CLI's tests stub a server that answers with it.
  UNAUTHORIZED: '{reason}.',
  // the agent's origin, confirmations and quotas (issue 18)
  ROUTE_CONTENT_REFUSED: '{plugin} answered {path} as "{type}"; an isolated plugin\'s route may answer only JSON or plain text.',
  CONFIRMATION_REQUIRED: 'Running {plugin} in-process needs a confirmation: {problem}.',
  STORAGE_QUOTA_EXCEEDED: '{plugin} stores {used} MB, over its quota of {quota} MB; it was stopped.',
  PERMISSION_NOT_DECLARED: '{plugin} may not {item}: its declared permissions (agentConfig.permissions) do not allow it; refused.',
  // Isolated plugins' bounds and budgets (the host channel).
  HOST_LIMIT_REACHED: '{plugin} reached its bound of {bound}.',
  // the fleet (issue 21)
  FLEET_DATABASE_UNREACHABLE: 'PostgreSQL at {where} could not be reached: {reason}.',
  FLEET_SCHEMA_DENIED: 'The user of {where} may not create the schema {schema}: {reason}.',
  FLEET_SANDBOX_REQUIRED: 'This worker has no sandbox ({found}); it would run generated code unconfined, so it does not start.',
  FLEET_BUILD_MISMATCH: 'The stored build of {plugin} hashes {actual}, not {expected}; it was not installed.',
  FLEET_JOB_TAKEN: 'Job {job} is held by another worker (attempt {attempt}); this worker let it go.',
  FLEET_RETRIES_EXHAUSTED: 'Job {job} was started {attempts} time(s) and every worker stopped before it ended.',
  // posting to the web client
  WEB_CHAT_UNAVAILABLE: 'Cannot post to the web chat: {problem}.',
  // self-extension (issue 22)
  EXTENSION_DISABLED: 'I cannot add plugins to myself here: self-extension is turned off.',
  EXTENSION_NOT_ALLOWED: 'Sorry, I can only add new abilities to myself when the agent\'s owner or an admin asks.',
  EXTENSION_RATE_LIMITED: 'I have added {count} plugin(s) in the last hour, the most I may (limit {limit}); please ask again later.',
  EXTENSION_REFUSED: 'I will not add a plugin for that: {reason}. Nothing was installed or written.',
  FLEET_NOT_IN_USE: '{what} needs the fleet database, and this agent runs on PGLite.',
  FLEET_MODEL_REQUIRED: '{what} needs a language model: this agent runs no worker lane (PLUGIN_DYNAMIC_FLEET_WORKERS=0), and plugin-dynamic worker processes have no model, so nothing could run it.',
} as const satisfies Partial<Record<ErrorCode, string>>;

type Slots<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Slots<Rest> : never;
type TemplatedCode = keyof typeof ERROR_MESSAGES;
/** The values a code's message template needs, by slot name. */
export type ErrorParams<C extends TemplatedCode> = { readonly [K in Slots<(typeof ERROR_MESSAGES)[C]>]: string | number };

/** Fills a template's {slots}; a slot with no value stays visible rather than vanishing. */
export function formatErrorMessage(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => (name in params ? String(params[name]) : slot));
}

export class PluginDynamicError extends Error {
  override readonly name = 'PluginDynamicError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  /**
   * An error whose message is already written: one received from another process (the HTTP
   * client rebuilds the server's errors), or wrapped with more context. New errors are raised with
   * `codedError`, whose message comes from the catalogue.
   */
  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** What a person should do about it. */
  get hint(): string {
    return ERROR_CATALOGUE[this.code];
  }
}

/** A new error of `code`, its message written from the code's template with `params`. */
export function codedError<C extends TemplatedCode>(
  code: C,
  params: ErrorParams<C>,
  options: { cause?: unknown; details?: Record<string, unknown> } = {},
): PluginDynamicError {
  return new PluginDynamicError(code, formatErrorMessage(ERROR_MESSAGES[code], params), options);
}

/** True for any error carrying one of our codes, even from another copy of this module. */
export function isPluginDynamicError(error: unknown): error is PluginDynamicError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof (error).code === 'string' &&
    (error as { code: string }).code in ERROR_CATALOGUE
  );
}

/** Any thrown value as one of our errors; unknown failures become INTERNAL with the original as cause. */
export function toPluginDynamicError(error: unknown, fallback: ErrorCode = 'INTERNAL'): PluginDynamicError {
  if (isPluginDynamicError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PluginDynamicError(fallback, message, { cause: error });
}

/** The envelope every boundary (action, HTTP, CLI --json) uses for a failure. */
export function errorEnvelope(error: unknown): {
  success: false;
  error: { code: ErrorCode; message: string; hint: string };
} {
  const e = toPluginDynamicError(error);
  return { success: false, error: { code: e.code, message: e.message, hint: e.hint } };
}

/*
 * The advice for each surface where it is read (issue 19): ERROR_CATALOGUE is the chat's (and the
 * general) wording, which names the agent's actions; here, for the codes whose advice names a control,
 * the CLI's wording names the command or flag, the panel's the button or field. A code absent here
 * reads the same everywhere.
 */
export type AdviceSurface = 'cli' | 'panel' | 'chat';
export const ERROR_ADVICE: { readonly [C in ErrorCode]?: { readonly cli: string; readonly panel: string } } = {
  PLUGIN_NOT_FOUND: {
    cli: 'Search the registry (plugin-dynamic search WORD, --all for every entry) and use a name from the results.',
    panel: 'Search the registry (the Registry search box) and install a name from the results.',
  },
  ALREADY_INSTALLED: {
    cli: 'The plugin is installed already: plugin-dynamic uninstall it first, or, for a plugin made by a creation job, run create again with --replace.',
    panel: 'The plugin is installed already: Uninstall it first, or, for a plugin made by a creation job, tick Replace and create again.',
  },
  NOT_INSTALLED: {
    cli: 'Install the plugin first (plugin-dynamic install NAME).',
    panel: 'Install the plugin first (Registry: Search, then Install).',
  },
  NEEDS_CONFIGURATION: {
    cli: 'Set the missing settings with plugin-dynamic configure PLUGIN NAME=value (--secret NAME for a secret), then plugin-dynamic activate PLUGIN.',
    panel: "Set the missing settings with the plugin's Configure button, then press Activate.",
  },
  COMPONENT_CONFLICT: {
    cli: 'Another loaded plugin already registers a component with this name: rename yours, or plugin-dynamic unload (or uninstall) the plugin named.',
    panel: 'Another loaded plugin already registers a component with this name: rename yours, or Unload (or Uninstall) the plugin named.',
  },
  HOST_UNSUPPORTED_METHOD: {
    cli: 'Isolated plugins get a narrow runtime; use only what it offers (see "Isolated plugins" in the README), or run it in-process with plugin-dynamic isolate PLUGIN in-process if you trust it.',
    panel: 'Isolated plugins get a narrow runtime; use only what it offers (see "Isolated plugins" in the README), or press Run in-process on its card if you trust it.',
  },
  JOB_NOT_FOUND: {
    cli: 'List the creation jobs (plugin-dynamic jobs) and use one of their ids.',
    panel: 'The job is gone; pick one from the Jobs list.',
  },
  JOB_INTERRUPTED: {
    cli: 'The process stopped while the job ran; run plugin-dynamic create again.',
    panel: 'The process stopped while the job ran; press Create again.',
  },
  UNAUTHORIZED: {
    cli: 'Pass the token from PLUGIN_DYNAMIC_API_TOKEN with --token, or set PLUGIN_DYNAMIC_API_TOKEN in the environment.',
    panel: "Open Keys and enter the agent's PLUGIN_DYNAMIC_API_TOKEN as the Change token.",
  },
  SERVER_API_KEY_REQUIRED: {
    cli: "The ElizaOS server has ELIZA_SERVER_AUTH_TOKEN set: set ELIZA_SERVER_AUTH_TOKEN to the server's key in the CLI's environment (it is sent as X-API-KEY).",
    panel: "The ElizaOS server has ELIZA_SERVER_AUTH_TOKEN set: save its key in the web client (Settings, Manage API Key), or enter it under Keys, Server API key.",
  },
  APPROVAL_REQUIRED: {
    cli: 'Answer y at the "Allow? [y/N]" prompt on a terminal, pass --yes in a script, or run plugin-dynamic approve PLUGIN --activate.',
    panel: "Press Allow in the plugin's approval dialog (Activate on its card opens it again).",
  },
  DATA_DIR_BUSY: {
    cli: 'Another process holds this data folder: if it is the agent, drive it with the --agent-url named in the message; otherwise wait for the other command, or pass another --data-dir.',
    panel: 'Another process holds this data folder; wait for it to finish.',
  },
};

/** The advice a person reads for `code` where they read it. */
export function adviceFor(code: ErrorCode, surface: AdviceSurface): string {
  const specific = ERROR_ADVICE[code];
  return surface === 'chat' || !specific ? ERROR_CATALOGUE[code] : specific[surface];
}

import type { Character, IAgentRuntime } from '@elizaos/core';

/*
 * The character the runtime exposes is shown to the model and to providers: bootstrap's CHARACTER
 * provider, called on its own (outside composeState, which is redacted), returns what it holds. Some
 * published plugins copy their token into `character.settings` (@elizaos/plugin-github does). The
 * guard keeps secret values out of it: whenever `character.settings` is read, any value that is a
 * managed secret (and any in its nested `secrets`) is moved into the runtime's own settings map, where
 * `getSetting` still finds it (it reads that map last), so the plugin keeps working. Assigning a new
 * settings object, or a new character, goes through the same guard.
 */

type SettingsHolder = Record<string, unknown>;

function isRecord(value: unknown): value is SettingsHolder {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function runtimeSettings(runtime: IAgentRuntime): SettingsHolder {
  const holder = runtime as unknown as { settings?: SettingsHolder };
  holder.settings ??= {};
  return holder.settings;
}

/** Moves every secret value of `settings` (and of its nested `secrets`) into the runtime's settings map. */
function scrub(settings: SettingsHolder, secrets: ReadonlySet<string>, into: SettingsHolder): void {
  for (const holder of [settings, isRecord(settings['secrets']) ? settings['secrets'] : undefined]) {
    if (!holder) continue;
    for (const [key, value] of Object.entries(holder)) {
      if (key === 'secrets' && holder === settings) continue;
      if (typeof value === 'string' && secrets.has(value)) {
        into[key] = value;
        delete holder[key];
      }
    }
  }
}

/**
 * Guards `runtime.character` (and any character assigned later). `secrets` lists the values to keep
 * out; it may itself read settings (the guard does not re-enter). Returns a function that takes the
 * guard off, leaving the character as it is.
 */
export function guardCharacterSecrets(runtime: IAgentRuntime, secrets: () => readonly string[]): () => void {
  let busy = false;
  let active = true;
  const guarded = new WeakSet<object>();

  const guard = (character: Character): Character => {
    if (guarded.has(character)) return character;
    guarded.add(character);
    let settings = (character as { settings?: unknown }).settings;
    Object.defineProperty(character, 'settings', {
      configurable: true,
      enumerable: true,
      get() {
        if (active && !busy && isRecord(settings)) {
          busy = true;
          try {
            scrub(settings, new Set(secrets()), runtimeSettings(runtime));
          } finally {
            busy = false;
          }
        }
        return settings;
      },
      set(value: unknown) {
        settings = value;
      },
    });
    return character;
  };

  let character = guard(runtime.character);
  const own = Object.getOwnPropertyDescriptor(runtime, 'character');
  Object.defineProperty(runtime, 'character', {
    configurable: true,
    enumerable: true,
    get: () => character,
    set: (value: Character) => {
      character = active ? guard(value) : value;
    },
  });
  return () => {
    active = false;
    if (own) Object.defineProperty(runtime, 'character', { ...own, value: character });
  };
}

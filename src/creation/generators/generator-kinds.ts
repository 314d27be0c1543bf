/** Who writes a plugin's code: the template (offline) or a model. */
export const GENERATOR_KINDS = ['template', 'model'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

/** The PLUGIN_DYNAMIC_GENERATOR setting and a request's choice: a kind, or `auto` (the model when one is registered). */
export const GENERATOR_CHOICES = [...GENERATOR_KINDS, 'auto'] as const;
export type GeneratorChoice = (typeof GENERATOR_CHOICES)[number];

/*
 * What the template generator plans for each component: the recipe that serves it and how. Kept apart
 * from the choosing (recipes.ts) so that the helpers it uses can name these types without a circle.
 */

export type RecipeName = 'monitor' | 'records' | 'conversion' | 'http' | 'schedule' | 'time' | 'random' | 'text' | 'triggers' | 'scaffold';
export type RecordOp = 'add' | 'remove' | 'list' | 'find' | 'update' | 'clear' | 'mark';
export type ScheduleOp = 'add' | 'list' | 'cancel' | 'clear';
/** What a mark sets on one record: complete sets done, rate a rating, mark a status in words. */
export type MarkField = 'done' | 'rating' | 'status';
export type TextOp = 'slugify' | 'uppercase' | 'lowercase' | 'titlecase' | 'reverse' | 'wordcount' | 'trim';

export type ActionPlan =
  | { recipe: 'records'; op: RecordOp; noun: string; scope: 'user' | 'room'; field?: MarkField }
  | { recipe: 'schedule'; op: ScheduleOp }
  | { recipe: 'conversion'; ratesSetting: string | undefined; currency: boolean }
  | { recipe: 'http'; baseUrlSetting: string; keySetting: string | undefined; defaultBaseUrl: string | undefined }
  | { recipe: 'time' }
  | { recipe: 'random' }
  | { recipe: 'text'; op: TextOp; library: string | undefined }
  | { recipe: 'scaffold'; reason: string };

/** A service method served by an action's recipe: the method calls that action (same recipe, same store). */
export interface MethodPlan {
  method: string;
  /** The identifier of the action it calls. */
  action: string;
}

export type ServicePlan =
  | { recipe: 'monitor'; urlSetting: string; everyMs: number }
  | { recipe: 'actions'; methods: MethodPlan[] }
  | { recipe: 'scaffold'; reason: string };

export type ProviderPlan =
  | { recipe: 'records'; noun: string; scope: 'user' | 'room' }
  | { recipe: 'schedule' }
  | { recipe: 'time' }
  | { recipe: 'http' }
  | { recipe: 'conversion' }
  | { recipe: 'scaffold'; reason: string };

/** One line of the job's account of what it built. */
export interface ComponentReport {
  kind: 'action' | 'provider' | 'service' | 'evaluator';
  name: string;
  recipe: RecipeName | 'actions';
  working: boolean;
  detail: string;
}

export interface PluginPlan {
  actions: Map<string, ActionPlan>;
  providers: Map<string, ProviderPlan>;
  services: Map<string, ServicePlan>;
  /** The plugin's reminder tag when any action schedules. */
  schedules: boolean;
  components: ComponentReport[];
  /** Declared dependencies no recipe imports. */
  unusedDependencies: string[];
}

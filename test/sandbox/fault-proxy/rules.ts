/** A fault rule as posted to the admin API. Counts are "the next n matching calls". */
export interface FaultRuleSpec {
  /** Target name or glob; default `*`. */
  target?: string;
  /** Operation name or glob (`ecs:*`, `POST /zones/*`); default `*`. */
  operation?: string;
  /** Only AWS calls SigV4-signed with this access key id: one set of credentials, not every caller. */
  accessKeyId?: string;
  /** Let the first k matching calls through untouched (they spend no budget); the rule acts from the next one. */
  afterCalls?: number;
  /** Delay added before every matching call is answered or forwarded. */
  latencyMs?: number;
  /** Answer the next n matching calls with the backend's own throttling error. */
  throttle?: number;
  /** Seconds put in `retry-after` on throttling answers that carry one; default 1, fractions allowed. */
  retryAfterSeconds?: number;
  /** Answer the next n matching calls with a 5xx (default code 500). */
  status5xx?: number | { times: number; code?: number };
  /** Destroy the socket of the next n matching calls without answering. */
  reset?: number;
  /**
   * Answer the next n matching calls (`true`: every one from now on) as the backend answers a caller whose
   * credentials expired: AWS `ExpiredTokenException` (400), GitHub/registry 401, Cloudflare 403. Never retried.
   */
  expiredToken?: number | true;
  /** Answer only the k-th matching mutating call after the rule is set with a 500, once. */
  failNthMutating?: number;
  /** The rule acts on at most this many matching calls, then goes quiet. */
  times?: number;
  /**
   * Let the backend process the call first, then answer the 5xx / reset instead of its reply: the change
   * happened but the client cannot know. Throttling is always answered before forwarding.
   */
  afterForward?: boolean;
}

/** What the proxy does to one call instead of forwarding it. */
export type Fault =
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'status'; code: number; afterForward: boolean }
  | { kind: 'reset'; afterForward: boolean }
  | { kind: 'expired-token' };

/** The combined effect of every rule matching one call. */
export interface FaultDecision {
  latencyMs: number;
  fault?: Fault;
}

/** A rule with its remaining budgets, as `GET {admin}/rules` shows it. */
export interface ActiveRule {
  id: string;
  target: string;
  operation: string;
  accessKeyId?: string;
  afterCallsLeft: number;
  latencyMs: number;
  retryAfterSeconds: number;
  throttleLeft: number;
  status5xxLeft: number;
  status5xxCode: number;
  resetLeft: number;
  expiredTokenLeft: number;
  expiredTokenForever: boolean;
  failNthMutating?: number;
  afterForward: boolean;
  mutatingSeen: number;
  failNthFired: boolean;
  timesLeft?: number;
  matched: number;
}

const MAX_LATENCY_MS = 60_000;
const KNOWN_KEYS = new Set([
  'target',
  'operation',
  'accessKeyId',
  'afterCalls',
  'expiredToken',
  'latencyMs',
  'throttle',
  'retryAfterSeconds',
  'status5xx',
  'reset',
  'failNthMutating',
  'times',
  'afterForward',
]);

/** The ordered set of fault rules and the decision of what happens to each call. */
export class FaultRules {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  /** Validates and adds a rule; throws an Error naming the bad field. */
  add(spec: FaultRuleSpec): ActiveRule {
    const rule = parseFaultRule(spec, `rule-${this.nextId}`);
    this.nextId += 1;
    this.rules.push(rule);
    return rule;
  }

  list(): ActiveRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Removes one rule; false when no rule has that id. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * Applies every matching rule in the order they were added: latencies add up, the first rule with a fault
   * left decides the fault, and later rules keep their fault budgets (but still count mutating calls for
   * failNthMutating). Budgets are spent here, so call it once per call. `accessKeyId` is the SigV4 key of an
   * AWS call, when it has one.
   */
  decide(target: string, operation: string, mutating: boolean, accessKeyId?: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const rule of this.rules) {
      if (rule.timesLeft === 0 || !globMatches(rule.target, target) || !globMatches(rule.operation, operation))
        continue;
      if (rule.accessKeyId !== undefined && rule.accessKeyId !== accessKeyId) continue;
      rule.matched += 1;
      if (rule.afterCallsLeft > 0) {
        // still before the rule's moment: the call goes through as if the rule were not there
        rule.afterCallsLeft -= 1;
        continue;
      }
      if (rule.timesLeft !== undefined) rule.timesLeft -= 1;
      decision.latencyMs += rule.latencyMs;
      decision.fault = takeFault(rule, mutating, decision.fault);
    }
    return decision;
  }
}

function takeFault(rule: ActiveRule, mutating: boolean, earlier: Fault | undefined): Fault | undefined {
  if (rule.failNthMutating !== undefined && mutating && !rule.failNthFired) {
    rule.mutatingSeen += 1;
    if (rule.mutatingSeen === rule.failNthMutating) {
      // the k-th mutating call fails either way; an earlier rule's fault wins
      rule.failNthFired = true;
      return earlier ?? { kind: 'status', code: 500, afterForward: rule.afterForward };
    }
  }
  if (earlier) return earlier;
  if (rule.throttleLeft > 0) {
    rule.throttleLeft -= 1;
    return { kind: 'throttle', retryAfterSeconds: rule.retryAfterSeconds };
  }
  if (rule.status5xxLeft > 0) {
    rule.status5xxLeft -= 1;
    return { kind: 'status', code: rule.status5xxCode, afterForward: rule.afterForward };
  }
  if (rule.resetLeft > 0) {
    rule.resetLeft -= 1;
    return { kind: 'reset', afterForward: rule.afterForward };
  }
  if (rule.expiredTokenForever || rule.expiredTokenLeft > 0) {
    if (!rule.expiredTokenForever) rule.expiredTokenLeft -= 1;
    return { kind: 'expired-token' };
  }
  return undefined;
}

/** Matches `*` (any run of characters) and `?` (one character); everything else literally. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

function parseFaultRule(spec: FaultRuleSpec, id: string): ActiveRule {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new Error('A fault rule must be a JSON object.');
  const unknown = Object.keys(spec).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new Error(`Unknown fault rule field(s) ${unknown.join(', ')}; known: ${[...KNOWN_KEYS].join(', ')}.`);
  }
  const status5xx = typeof spec.status5xx === 'object' ? spec.status5xx : { times: spec.status5xx ?? 0 };
  const rule: ActiveRule = {
    id,
    target: readPattern(spec.target, 'target'),
    operation: readPattern(spec.operation, 'operation'),
    afterCallsLeft: readCount(spec.afterCalls, 'afterCalls'),
    latencyMs: readCount(spec.latencyMs, 'latencyMs', MAX_LATENCY_MS),
    retryAfterSeconds: readSeconds(spec.retryAfterSeconds),
    throttleLeft: readCount(spec.throttle, 'throttle'),
    status5xxLeft: readCount(status5xx.times, 'status5xx.times'),
    status5xxCode: readStatusCode(status5xx.code),
    resetLeft: readCount(spec.reset, 'reset'),
    expiredTokenLeft: spec.expiredToken === true ? 0 : readCount(spec.expiredToken, 'expiredToken'),
    expiredTokenForever: spec.expiredToken === true,
    afterForward: readFlag(spec.afterForward, 'afterForward'),
    mutatingSeen: 0,
    failNthFired: false,
    matched: 0,
  };
  if (spec.accessKeyId !== undefined) rule.accessKeyId = readPattern(spec.accessKeyId, 'accessKeyId');
  if (spec.failNthMutating !== undefined) rule.failNthMutating = readPositive(spec.failNthMutating, 'failNthMutating');
  if (spec.times !== undefined) rule.timesLeft = readPositive(spec.times, 'times');
  const effects =
    rule.latencyMs +
    rule.throttleLeft +
    rule.status5xxLeft +
    rule.resetLeft +
    rule.expiredTokenLeft +
    (rule.expiredTokenForever ? 1 : 0) +
    (rule.failNthMutating ?? 0);
  if (effects === 0) {
    throw new Error(
      'A fault rule needs at least one of latencyMs, throttle, status5xx, reset, expiredToken, failNthMutating.',
    );
  }
  return rule;
}

function readPattern(value: unknown, name: string): string {
  if (value === undefined) return '*';
  if (typeof value !== 'string' || value === '') throw new Error(`Fault rule '${name}' must be a non-empty string.`);
  return value;
}

function readCount(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`Fault rule '${name}' must be an integer from 0 to ${max}.`);
  }
  return value;
}

function readPositive(value: unknown, name: string): number {
  const count = readCount(value, name);
  if (count === 0) throw new Error(`Fault rule '${name}' must be at least 1.`);
  return count;
}

function readSeconds(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 600) {
    throw new Error("Fault rule 'retryAfterSeconds' must be a number of seconds from 0 to 600.");
  }
  return value;
}

function readStatusCode(value: unknown): number {
  if (value === undefined) return 500;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 500 || value > 599) {
    throw new Error("Fault rule 'status5xx.code' must be an integer from 500 to 599.");
  }
  return value;
}

function readFlag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new Error(`Fault rule '${name}' must be true or false.`);
  return value;
}

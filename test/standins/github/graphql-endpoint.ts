import { execute, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import { createGraphQLRoot } from './graphql-resolvers.js';
import { readGraphQLSchema } from './graphql-schema.js';
import type { RateLimits, RateLimitWindow } from './rate-limits.js';
import type { RenderContext } from './render-context.js';
import type { UserRecord } from './records.js';

export interface GraphQLAnswer {
  status: number;
  body: Record<string, unknown>;
  window: RateLimitWindow;
}

/** GitHub puts an error's `type` beside `message`, not under `extensions`. */
function formatError(error: GraphQLError): Record<string, unknown> {
  const type = error.extensions?.type;
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}

/**
 * Answers POST /graphql: parses and validates against the schema, charges one point of the
 * viewer's graphql budget, then executes. Rate-limited viewers get GitHub's RATE_LIMITED error.
 */
export function answerGraphQL(input: {
  body: Record<string, unknown>;
  render: RenderContext;
  viewer: UserRecord;
  workflowToken: boolean;
  rateLimits: RateLimits;
}): GraphQLAnswer {
  const { body, render, viewer, rateLimits } = input;
  const schema = readGraphQLSchema();
  if (typeof body.query !== 'string') {
    return {
      status: 400,
      body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' },
      window: rateLimits.read(viewer.login, 'graphql'),
    };
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return {
      status: 200,
      body: { errors: [formatError(error as GraphQLError)] },
      window: rateLimits.read(viewer.login, 'graphql'),
    };
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0)
    return {
      status: 200,
      body: { errors: invalid.map(formatError) },
      window: rateLimits.read(viewer.login, 'graphql'),
    };

  const cost = 1;
  const { window, exceeded } = rateLimits.consume(viewer.login, 'graphql', cost);
  if (exceeded) {
    return {
      status: 200,
      body: { errors: [{ type: 'RATE_LIMITED', message: `API rate limit exceeded for user ID ${viewer.id}.` }] },
      window,
    };
  }
  const result = execute({
    schema,
    document,
    rootValue: createGraphQLRoot({ render, viewer, workflowToken: input.workflowToken, rate: window, cost }),
    variableValues: (body.variables as Record<string, unknown> | undefined) ?? {},
    operationName: typeof body.operationName === 'string' ? body.operationName : null,
  }) as ExecutionResult;
  return {
    status: 200,
    body: { data: result.data ?? null, ...(result.errors?.length ? { errors: result.errors.map(formatError) } : {}) },
    window,
  };
}

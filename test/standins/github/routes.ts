import type { RateLimits, RateLimitWindow } from './rate-limits.js';
import { defineRoute, type Route } from './router.js';
import { createCheckRoutes } from './routes-checks.js';
import { createCommentRoutes } from './routes-comments.js';
import { createDeploymentRoutes } from './routes-deployments.js';
import { createGitRoutes } from './routes-git.js';
import { createPullRoutes } from './routes-pulls.js';
import { createRepositoryRoutes } from './routes-repository.js';

function createRateLimitRoute(rateLimits: RateLimits): Route {
  const strip = ({ resource: _resource, ...rest }: RateLimitWindow): Omit<RateLimitWindow, 'resource'> => rest;
  return defineRoute('GET', '/rate_limit', (request) => {
    const core = strip(rateLimits.read(request.user.login, 'core'));
    const graphql = strip(rateLimits.read(request.user.login, 'graphql'));
    const search = strip(rateLimits.read(request.user.login, 'search'));
    return { status: 200, body: { resources: { core, graphql, search }, rate: core } };
  });
}

/** Every REST route the stand-in serves, each named by its OpenAPI path template. */
export function createGitHubRoutes(rateLimits: RateLimits): Route[] {
  return [
    ...createRepositoryRoutes(),
    ...createGitRoutes(),
    ...createPullRoutes(),
    ...createCommentRoutes(),
    ...createDeploymentRoutes(),
    ...createCheckRoutes(),
    createRateLimitRoute(rateLimits),
  ];
}

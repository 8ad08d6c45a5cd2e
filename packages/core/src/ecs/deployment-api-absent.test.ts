import { describe, expect, it } from '@jest/globals';
import { isDeploymentApiAbsent } from './deployment-api-absent.js';

const error = (name: string, status: number | undefined, message = 'x') =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('isDeploymentApiAbsent', () => {
  it.each([
    ['an unknown operation', error('UnknownOperationException', 400), true],
    ['an invalid action', error('InvalidAction', 400), true],
    ['a 404', error('NotFound', 404), true],
    ['a 501', error('NotImplemented', 501), true],
    [
      "an emulator's HTML 500 page",
      error(
        'SyntaxError',
        500,
        'Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: …',
      ),
      true,
    ],
    ['a real ECS outage (JSON ServerException)', error('ServerException', 500, 'Service unavailable'), false],
    ['throttling', error('ThrottlingException', 400), false],
    ['denied', error('AccessDeniedException', 400), false],
    ['expired credentials', error('ExpiredTokenException', 400), false],
  ])('%s → %s', (_what, e, absent) => {
    expect(isDeploymentApiAbsent(e)).toBe(absent);
  });
});

import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from './errors.js';
import { input, readInputs } from './inputs.js';
import { MemoryIO } from './io.js';

const specs = {
  name: input.string({ required: true, description: 'n' }),
  flag: input.boolean({ description: 'f' }),
  count: input.integer({ min: 1, max: 10, description: 'c' }),
  mode: input.choice({ values: ['auto', 'ecr', 'oci'] as const, description: 'm' }),
  items: input.list({ description: 'i' }),
  pairs: input.map({ keys: ['a', 'b'], description: 'p' }),
};

describe('input.pairs', () => {
  const pairs = input.pairs({ description: 'p' });

  it('keeps every key=value pair in order, a key on several lines, commas as separators', () => {
    expect(pairs.parse('web=api\n# a comment\nweb = admin\n\nworker=w1, web=celery', 'ecs-services')).toEqual([
      ['web', 'api'],
      ['web', 'admin'],
      ['worker', 'w1'],
      ['web', 'celery'],
    ]);
    expect(pairs.parse('', 'ecs-services')).toEqual([]);
  });

  it('refuses an entry without a key, in one line naming the input', () => {
    expect(() => pairs.parse('web=api\napi-prod', 'ecs-services')).toThrow(
      new ConfigurationError("Input 'ecs-services' is 'api-prod', expected key=value"),
    );
    expect(() => pairs.parse('=api', 'ecs-services')).toThrow(ConfigurationError);
  });
});

describe('readInputs', () => {
  it('parses every kind of input', () => {
    const io = new MemoryIO({
      name: '  x  ',
      flag: 'True',
      count: '7',
      mode: 'ecr',
      items: 'one\n\n# comment\n  two  \n',
      pairs: 'a=1, b = 2',
    });
    const values = readInputs(io, specs);
    expect(values).toEqual({
      name: 'x',
      flag: true,
      count: 7,
      mode: 'ecr',
      items: ['one', 'two'],
      pairs: new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
    });
  });

  it('reports every bad input at once, naming each and its allowed values', () => {
    const io = new MemoryIO({ name: '', flag: 'yes', count: '11', mode: 'ECR', items: '', pairs: 'c=1' });
    let message = '';
    try {
      readInputs(io, specs);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      message = (error as Error).message;
    }
    expect(message).toContain("Input 'name' is required");
    expect(message).toContain("Input 'flag' is 'yes', expected true or false");
    expect(message).toContain("Input 'count' is '11', expected a whole number from 1 to 10");
    expect(message).toContain("Input 'mode' is 'ECR', expected one of auto, ecr, oci");
    expect(message).toContain("Input 'pairs' has unknown key 'c': allowed keys are a, b");
  });

  it('accepts only YAML booleans', () => {
    for (const raw of ['yes', 'on', '1', 'y', '']) {
      expect(() => readInputs(new MemoryIO({ flag: raw }), { flag: specs.flag })).toThrow(/expected true or false/);
    }
  });

  it('keeps whitespace when the spec asks for it', () => {
    const spec = { tag: input.string({ keepWhitespace: true, description: 't' }) };
    expect(readInputs(new MemoryIO({ tag: 'v1 ' }), spec).tag).toBe('v1 ');
  });

  it('refuses a duplicate map key and a line without =', () => {
    expect(() => readInputs(new MemoryIO({ pairs: 'a=1\na=2' }), { pairs: specs.pairs })).toThrow("sets 'a' twice");
    expect(() => readInputs(new MemoryIO({ pairs: 'a' }), { pairs: specs.pairs })).toThrow(
      "is 'a', expected key=value",
    );
  });
});

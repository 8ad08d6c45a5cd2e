import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { InputSpec } from '@preview-actions/core/action';
import { readActionMetadata, repoRoot } from '../harness/index.js';

const actions = readdirSync(join(repoRoot, 'actions')).filter((name) =>
  existsSync(join(repoRoot, 'actions', name, 'action.yml')),
);
const nodeActions = actions.filter((name) => readActionMetadata(name).runs.using.startsWith('node'));

describe.each(nodeActions)('%s', (name) => {
  const metadata = readActionMetadata(name);

  it('declares in action.yml exactly the inputs its typed contract reads, with the same defaults and descriptions', async () => {
    const contract = (await import(join(repoRoot, 'actions', name, 'src', 'contract.ts'))) as {
      inputs: Record<string, InputSpec<unknown>>;
      outputs: Record<string, string>;
    };
    expect(Object.keys(metadata.inputs).sort()).toEqual(Object.keys(contract.inputs).sort());
    for (const [input, spec] of Object.entries(contract.inputs)) {
      const declared = metadata.inputs[input]!;
      expect({
        input,
        default: declared.default,
        required: declared.required ?? false,
        description: declared.description,
      }).toEqual({
        input,
        default: spec.default,
        required: spec.required,
        description: spec.description,
      });
    }
    expect(Object.keys(metadata.outputs).sort()).toEqual(Object.keys(contract.outputs).sort());
    for (const [output, description] of Object.entries(contract.outputs)) {
      expect({ output, description: metadata.outputs[output]!.description }).toEqual({ output, description });
    }
  });

  it('every default of a typed input parses', async () => {
    const contract = (await import(join(repoRoot, 'actions', name, 'src', 'contract.ts'))) as {
      inputs: Record<string, InputSpec<unknown>>;
    };
    for (const [input, spec] of Object.entries(contract.inputs)) {
      if (spec.default === undefined || spec.default.includes('${{')) continue;
      expect(() => spec.parse(spec.default!, input)).not.toThrow();
    }
  });

  it('runs on a supported Node runtime', () => {
    expect(metadata.runs.using).toBe('node24');
  });
});

describe.each(actions)('%s root stub', (name) => {
  it('matches its action.yml and points at its bundle', () => {
    const stubPath = join(repoRoot, name, 'action.yml');
    expect(existsSync(stubPath)).toBe(true);
    const stub = parse(readFileSync(stubPath, 'utf8')) as Record<string, unknown> & {
      runs: { main: string; post?: string };
    };
    const original = parse(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as Record<
      string,
      unknown
    > & {
      runs: { main: string; post?: string };
    };
    if (!original.runs.main) {
      expect(stub).toEqual(original);
      return;
    }
    expect(stub.runs.main).toBe(`../actions/${name}/${original.runs.main}`);
    const post = original.runs.post;
    if (post) {
      expect(stub.runs.post).toBe(`../actions/${name}/${post}`);
      expect(existsSync(join(repoRoot, 'actions', name, post))).toBe(true);
      expect(existsSync(join(repoRoot, 'actions', name, 'src', 'post.ts'))).toBe(true);
    }
    expect({ ...stub, runs: { ...stub.runs, main: original.runs.main, ...(post && { post }) } }).toEqual(original);
    expect(existsSync(join(repoRoot, 'actions', name, original.runs.main))).toBe(true);
  });
});

describe('release composite', () => {
  const steps = (readActionMetadata('release').runs.steps ?? []) as { id?: string; run?: string }[];
  it.each([
    ['classify', 'classify-tag'],
    ['build', 'build-double-tag'],
    ['promote', 'retag-promote'],
  ])('step %s passes every input of %s and nothing else', (id, action) => {
    const run = steps.find((s) => s.id === id)?.run ?? '';
    const passed = [...run.matchAll(/INPUT_([A-Z0-9-]+)=/g)].map((m) => m[1]!.toLowerCase()).sort();
    expect(passed).toEqual(Object.keys(readActionMetadata(action).inputs).sort());
    expect(run).toContain(`actions/${action}/dist/index.js`);
  });
});

import { describe, expect, it } from '@jest/globals';
import { pinEnvFile } from './pin-env-file.js';

describe('pinEnvFile', () => {
  it('replaces only the variable line and reports what it held', () => {
    const text = '# dev\nDB=postgres\nIMAGE_TAG="v1.0.0"\nIMAGE_TAG_OLD=x\n';
    expect(pinEnvFile(text, 'IMAGE_TAG', 'v1.2.3')).toEqual({
      text: '# dev\nDB=postgres\nIMAGE_TAG=v1.2.3\nIMAGE_TAG_OLD=x\n',
      previous: 'v1.0.0',
    });
  });

  it('appends the variable when missing, and handles an empty file', () => {
    expect(pinEnvFile('A=1', 'IMAGE_TAG', 'v2')).toEqual({ text: 'A=1\nIMAGE_TAG=v2\n', previous: undefined });
    expect(pinEnvFile('', 'IMAGE_TAG', 'v2').text).toBe('IMAGE_TAG=v2\n');
  });

  it('refuses values and names that could smuggle shell or env syntax', () => {
    expect(() => pinEnvFile('', 'IMAGE_TAG', 'v1 $(id)')).toThrow('cannot be written to an env file');
    expect(() => pinEnvFile('', 'IMAGE-TAG', 'v1')).toThrow("Input 'variable' is 'IMAGE-TAG'");
  });
});

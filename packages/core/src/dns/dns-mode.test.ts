import { ConfigurationError } from '../action/errors.js';
import { parseDnsMode, resolvePreviewHost } from './dns-mode.js';

describe('parseDnsMode', () => {
  it('reads the three modes', () => {
    expect(parseDnsMode('record')).toBe('record');
    expect(parseDnsMode(' Wildcard ')).toBe('wildcard');
    expect(parseDnsMode('none')).toBe('none');
  });

  it('refuses anything else with the choices', () => {
    expect(() => parseDnsMode('cname')).toThrow(
      new ConfigurationError('dns-mode "cname" is not one of record, wildcard, none'),
    );
  });
});

describe('resolvePreviewHost', () => {
  it('names the preview pr-{N}.<domain> and manages the record only in record mode', () => {
    expect(resolvePreviewHost({ mode: 'record', domain: 'Preview.Example.com.', pr: 12 })).toEqual({
      hostname: 'pr-12.preview.example.com',
      manageRecord: true,
    });
    expect(resolvePreviewHost({ mode: 'wildcard', domain: 'preview.example.com', pr: 12 })).toEqual({
      hostname: 'pr-12.preview.example.com',
      manageRecord: false,
    });
    expect(resolvePreviewHost({ mode: 'none', domain: undefined, pr: 12 })).toEqual({
      hostname: undefined,
      manageRecord: false,
    });
  });

  it('needs a valid domain when a hostname is wanted', () => {
    expect(() => resolvePreviewHost({ mode: 'record', domain: '', pr: 1 })).toThrow(/needs a domain/);
    expect(() => resolvePreviewHost({ mode: 'wildcard', domain: 'bad domain', pr: 1 })).toThrow(ConfigurationError);
    expect(() => resolvePreviewHost({ mode: 'record', domain: '*.example.com', pr: 1 })).toThrow(/valid hostname/);
  });
});

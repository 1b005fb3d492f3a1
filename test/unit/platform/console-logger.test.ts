import { describe, expect, it } from 'vitest';
import { createConsoleLogger } from '../../../main/platform/console-logger';

describe('console logger', () => {
  it('prints level, message and fields, with fields that could hold a secret redacted', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger('info', (line) => lines.push(line));
    logger.info('token refreshed', { connectionId: 'c1', refreshToken: 'SECRET-1', access_token: 'SECRET-2', code: 'SECRET-3', clientSecret: 'SECRET-4' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('INFO token refreshed');
    expect(lines[0]).toContain('"connectionId":"c1"');
    expect(lines[0]).not.toMatch(/SECRET-\d/);
  });

  it('drops entries below the minimum level', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger('warn', (line) => lines.push(line));
    logger.info('chatty');
    logger.error('bad');
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['ERROR']);
  });
});

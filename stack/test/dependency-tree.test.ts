import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { ROOT } from '@umt/test-support';

describe('dependency tree', () => {
  it('holds exactly one copy of graphql (two copies break schema instanceof checks across packages)', () => {
    const paths = execFileSync('npm', ['ls', 'graphql', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((line) => /node_modules\/graphql$/.test(line));
    expect(new Set(paths).size).toBe(1);
  });
});

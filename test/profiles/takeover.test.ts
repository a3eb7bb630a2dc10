/** `takeover:` — known owners only (file:line:col, did you mean), merged by union through `extends`. */
import { describe, expect, it } from 'vitest';
import { profileProblems, profiles } from './support.js';

describe('takeover', () => {
  it('names known owners; merges by union through extends', () => {
    const p = profiles({
      'a.yaml': 'preserve: [known-owners]\ntakeover: [ufw]\n',
      'b.yaml': 'extends: a\ntakeover: [firewalld, ufw]\n',
    }).get('b')!;
    expect(p.takeover).toEqual(['ufw', 'firewalld']);
    expect(p.preserve).toEqual(['known-owners']);
    expect(profiles({ 'x.yaml': '{}\n' }).get('x')!.takeover).toEqual([]);
  });

  it('refuses an unknown tool at its file:line:col, with did you mean', () => {
    expect(profileProblems({ 'x.yaml': 'takeover:\n  - docker\n  - ufww\n' })).toEqual([
      expect.stringMatching(
        /^\.\/profiles\/x\.yaml:3:5 takeover\[1\]: "ufww" is not a tool fleet knows \(did you mean "ufw"\?\); takeover names one of: docker, .*ufw, firewalld/,
      ),
    ]);
    expect(profileProblems({ 'x.yaml': 'takeover: docker\n' })[0]).toMatch(
      /^\.\/profiles\/x\.yaml:1:11 takeover: expected a list/,
    );
  });
});

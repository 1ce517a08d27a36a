import { installNote, npmNodeVersion } from '../../scripts/install-note.mjs';

const agent = (node: string) => `npm/11.19.1 node/v${node} linux x64 workspaces/false ci/false`;

describe('the install note on EBADENGINE warnings', () => {
  it("reads the Node that ran npm from npm's user agent", () => {
    expect(npmNodeVersion(agent('20.20.2'))).toBe('20.20.2');
    expect(npmNodeVersion(undefined)).toBeUndefined();
  });

  it('explains the warnings when npm ran on an older Node than the pinned one scripts use', () => {
    const note = installNote(agent('20.20.2'), 24, '24.18.1');
    expect(note).toContain('Node 20.20.2');
    expect(note).toContain('pinned Node 24.18.1');
    expect(note).toContain('"npm error" lines, if any, are real');
  });

  it('says nothing when npm already ran on a Node the project accepts', () => {
    expect(installNote(agent('24.18.1'), 24, '24.18.1')).toBeUndefined();
  });

  it('calls the warnings real in a production install, where the Node running npm runs CloudPilot', () => {
    expect(installNote(agent('20.20.2'), 24, undefined)).toMatch(/warnings above are real/);
  });
});

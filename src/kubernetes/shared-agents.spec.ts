import { Agent } from 'undici';
import { AgentIdentity, SharedAgents } from './shared-agents';

const identity = (overrides: Partial<AgentIdentity> = {}): AgentIdentity => ({
  server: 'https://10.0.0.1:6443',
  ca: Buffer.from('ca-pem'),
  cert: 'client-cert-pem',
  key: 'client-key-pem',
  rejectUnauthorized: true,
  servername: undefined,
  addressRules: '[false,false,false]',
  ...overrides,
});

describe('SharedAgents', () => {
  it('hands clients of the same server and TLS identity one agent', async () => {
    const agents = new SharedAgents();
    const a = agents.acquire(identity(), () => new Agent());
    const b = agents.acquire(identity({ ca: Buffer.from('ca-pem') }), () => new Agent());
    expect(b.agent).toBe(a.agent);
    expect(agents.size).toBe(1);
    await Promise.all([a.release(), b.release()]);
  });

  it.each([
    ['server', { server: 'https://10.0.0.2:6443' }],
    ['CA', { ca: Buffer.from('other-ca') }],
    ['client certificate', { cert: 'other-cert' }],
    ['client key', { key: 'other-key' }],
    ['verification', { rejectUnauthorized: false }],
    ['TLS server name', { servername: 'api.internal' }],
    ['address rules', { addressRules: '[true,false,false]' }],
  ])('never shares an agent across a different %s', async (_, overrides) => {
    const agents = new SharedAgents();
    const a = agents.acquire(identity(), () => new Agent());
    const b = agents.acquire(identity(overrides), () => new Agent());
    expect(b.agent).not.toBe(a.agent);
    await Promise.all([a.release(), b.release()]);
  });

  it('closes the agent when its last client lets go, once, and builds a new one after', async () => {
    const agents = new SharedAgents();
    const a = agents.acquire(identity(), () => new Agent());
    const b = agents.acquire(identity(), () => new Agent());
    await a.release();
    await a.release();
    expect(a.agent.closed).toBe(false);
    await b.release();
    expect(a.agent.closed).toBe(true);
    expect(agents.size).toBe(0);
    const c = agents.acquire(identity(), () => new Agent());
    expect(c.agent).not.toBe(a.agent);
    await c.release();
  });
});

/* global jest */
// e2e and integration suites start the app, PostgreSQL or a cluster in their hooks: on a busy 2-core
// machine that alone can exceed Jest's 5 s default, and such a timeout says nothing about the code.
// (A project-level `testTimeout` does not reach hooks in a multi-project config; this does.)
jest.setTimeout(30_000);

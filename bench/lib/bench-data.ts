/** The bench's generated data and answering callers: the one fixtures module of the tests (test/support/fixtures.ts). */
export * from '../../test/support/fixtures.js';

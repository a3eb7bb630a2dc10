/**
 * The corpus of real data kept in the repository (test/fixtures/corpus, SOURCES.md in each
 * folder): iptables-save dumps and ssh_config files written by other people, each with its source.
 */
import { join } from 'node:path';

export const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'corpus');
export const IPTABLES_SAVE_CORPUS = join(CORPUS, 'iptables-save');
export const SSH_CONFIG_CORPUS = join(CORPUS, 'ssh_config');

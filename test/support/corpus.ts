/**
 * The shared corpus of real data (../shared/corpus beside the repository, SOURCES.md there):
 * iptables-save dumps and ssh_config files written by other people. CI clones the repository
 * with shared/ beside it; a missing corpus fails the tests that read it.
 */
import { join } from 'node:path';

export const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
export const IPTABLES_SAVE_CORPUS = join(CORPUS, 'iptables-save');
export const SSH_CONFIG_CORPUS = join(CORPUS, 'ssh_config');

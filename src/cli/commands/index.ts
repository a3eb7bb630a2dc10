/** Every command, in the order `fleet --help` lists them. One file per command. */
import type { Command } from 'commander';
import { registerLab } from './lab.js';

export type Register = (program: Command) => void;

export const COMMANDS: Register[] = [registerLab];

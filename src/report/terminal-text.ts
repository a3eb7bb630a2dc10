/**
 * The one gate between text a host or a command line supplies and the operator's terminal.
 * A host's /etc/os-release, an iptables comment, an error echoing an argument: any of them may
 * carry escape sequences that retitle the window, clear the screen, move the cursor or (OSC 52)
 * write the clipboard. Every terminal renderer passes such text through `terminalText`;
 * HTML, JUnit and JSON escape on their own.
 */

/* biome-ignore-start lint/suspicious/noControlCharactersInRegex: matching them is the point */
/**
 * Escape sequences, whole, so their payload goes too: OSC/DCS/SOS/PM/APC strings (ended by BEL,
 * ST or the end of the line), CSI sequences, and short ESC sequences — in their 7-bit (ESC ...)
 * and 8-bit (C1) forms. What does not form a whole sequence loses its ESC to CONTROLS, and
 * the rest is plain text.
 */
const SEQUENCES =
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?|(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]|\u001b[\u0020-\u002f]?[\u0030-\u007e]/g;
/** What is left: C0 (tab and line feed kept apart), DEL, C1, and the line/paragraph separators. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
const TAB_AND_LF = /[\t\n]/g;
/* biome-ignore-end lint/suspicious/noControlCharactersInRegex: matching them is the point */

export interface TerminalTextOptions {
  /** Keep line feeds and tabs (a diff, a multi-line error); otherwise they become spaces. */
  lines?: boolean;
}

/** `text` with every escape sequence and control character removed (CR LF becomes LF). */
export function terminalText(text: string, opts: TerminalTextOptions = {}): string {
  const clean = text.replace(/\r\n/g, '\n').replace(SEQUENCES, '').replace(CONTROLS, '');
  return opts.lines ? clean : clean.replace(TAB_AND_LF, ' ');
}

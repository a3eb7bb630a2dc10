/**
 * Simulated hosts for the bench (`--simulate`): ssh2 Server instances listening on 127.x.y.z:22
 * (all of 127.0.0.0/8 is loopback on Linux), one host key for all of them, publickey auth with
 * the bench's client key only (the signature is verified, as sshd does). Every exec request is
 * answered from a recording of real lab hosts (recording.ts); a request with no recording gets
 * exit 86 and a message on stderr, and is counted, so the run fails loudly instead of being
 * answered wrongly. In record mode each exec is instead run on a real lab host (the upstream)
 * over its own SSH connection, and the answer is stored.
 *
 * These servers run in their own node processes (bench/sim-server.ts), outside the cgroup of the
 * fleet run being measured.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import ssh2, { type Connection, type ServerChannel } from 'ssh2';
import {
  fromTemplate,
  type HostValues,
  normalise,
  type Recorded,
  type Recording,
  toTemplate,
} from './recording.js';

const { Server, Client, utils } = ssh2;

export interface SimHost extends HostValues {
  /** Record mode: the real lab host this address stands for. */
  upstream?: HostValues & { hostKey: string };
}

export interface SimServerOptions {
  hosts: SimHost[];
  port: number;
  hostKey: string;
  /** The client's public key (OpenSSH format): the only key accepted. */
  clientPub: string;
  /** Play back from here; absent in record mode. */
  recording?: Recording;
  /** Record mode: the lab's client key for the upstream hosts. */
  upstreamIdentity?: string;
  log: (s: string) => void;
}

export interface SimServer {
  served: number;
  unknown: number;
  /** Record mode: what was recorded. */
  recorded: Record<string, Recorded>;
  close(): Promise<void>;
}

export const UNKNOWN_EXIT = 86;

export async function startSimServer(o: SimServerOptions): Promise<SimServer> {
  const clientKey = utils.parseKey(o.clientPub);
  if (clientKey instanceof Error) throw clientKey;
  const byAddress = new Map(o.hosts.map((h) => [h.address, h]));
  const state: SimServer = { served: 0, unknown: 0, recorded: {}, close: async () => undefined };
  const ssh = new Server({ hostKeys: [readFileSync(o.hostKey)] }, (client: Connection) => {
    const local = (client as unknown as { _sock: { localAddress?: string } })._sock.localAddress ?? '';
    const host = byAddress.get(local.replace(/^::ffff:/, ''));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || !host) return ctx.reject(['publickey']);
      const same = ctx.key.algo === clientKey.type && ctx.key.data.equals(clientKey.getPublicSSH());
      if (!same) return ctx.reject(['publickey']);
      if (!ctx.signature || !ctx.blob) return ctx.accept();
      return clientKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject();
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const ch = accept();
          const input: Buffer[] = [];
          ch.on('data', (b: Buffer) => input.push(b));
          ch.on('end', () => {
            const stdin = Buffer.concat(input).toString('utf8');
            void answer(o, state, host!, info.command, stdin).then((r) => reply(ch, r));
          });
        });
      });
    });
  });
  const listeners: NetServer[] = [];
  for (const h of o.hosts) {
    const l = createServer({ noDelay: true }, (sock) => ssh.injectSocket(sock));
    await new Promise<void>((resolve, reject) => {
      l.once('error', reject);
      l.listen({ port: o.port, host: h.address, backlog: 511 }, () => resolve());
    });
    listeners.push(l);
  }
  state.close = async () => {
    await Promise.all(listeners.map((l) => new Promise((r) => l.close(() => r(undefined)))));
  };
  return state;
}

function reply(ch: ServerChannel, r: Recorded): void {
  if (r.stdout) ch.write(r.stdout);
  if (r.stderr) ch.stderr.write(r.stderr);
  ch.exit(r.code);
  ch.end();
}

async function answer(
  o: SimServerOptions,
  state: SimServer,
  host: SimHost,
  command: string,
  stdin: string,
): Promise<Recorded> {
  const { key, values } = normalise(command, stdin, host);
  const what = `${command.slice(0, 60).replace(/\s+/g, ' ')}… | stdin: ${stdin.split('\n')[0] ?? ''}`;
  if (!o.recording) {
    const up = host.upstream!;
    const r = await runUpstream(up, o.upstreamIdentity!, command, stdin);
    state.recorded[key] = {
      what,
      stdout: toTemplate(r.stdout, up, values),
      stderr: toTemplate(r.stderr, up, values),
      code: r.code,
    };
    state.served++;
    return r;
  }
  const rec = o.recording.entries[key];
  if (!rec) {
    state.unknown++;
    o.log(`UNKNOWN request on ${host.name} (key ${key}): ${what}`);
    return {
      what,
      stdout: '',
      stderr: `fleet bench simulated host ${host.name}: no recording for this request (key ${key}); re-record with npm run bench -- --record\n`,
      code: UNKNOWN_EXIT,
    };
  }
  state.served++;
  try {
    return {
      what,
      stdout: fromTemplate(rec.stdout, host, values),
      stderr: fromTemplate(rec.stderr, host, values),
      code: rec.code,
    };
  } catch (err) {
    state.unknown++;
    o.log(`UNFILLABLE answer on ${host.name} (key ${key}): ${(err as Error).message}`);
    return { what, stdout: '', stderr: `${(err as Error).message}\n`, code: UNKNOWN_EXIT };
  }
}

/** Record mode: the same command and stdin on the real host, over a connection of its own. */
function runUpstream(
  up: HostValues & { hostKey: string },
  identity: string,
  command: string,
  stdin: string,
): Promise<Recorded> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    c.on('error', reject);
    c.on('ready', () => {
      c.exec(command, (e, ch) => {
        if (e) return reject(e);
        ch.on('data', (b: Buffer) => out.push(b));
        ch.stderr.on('data', (b: Buffer) => err.push(b));
        let code = -1;
        ch.on('exit', (x: number | null) => {
          code = x ?? -1;
        });
        ch.on('close', () => {
          c.end();
          resolve({
            what: '',
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
            code,
          });
        });
        ch.end(stdin);
      });
    });
    c.connect({
      host: up.address,
      port: 22,
      username: 'root',
      privateKey: readFileSync(identity),
      hostVerifier: (key: Buffer) => key.toString('base64') === up.hostKey,
    });
  });
}

// Starting and talking to the benchmark's child processes: the bridge and the sink.
import { type ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { ChildReport, ChildRequest } from './child-reports';
import type { SinkReply, SinkRequest } from './sink-child';

class Child<Request, Reply> {
  constructor(readonly process: ChildProcess) {}

  ask(request: Request): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown): void => {
        this.process.off('exit', onExit);
        resolve(message as Reply);
      };
      const onExit = (code: number | null): void => {
        this.process.off('message', onMessage);
        reject(new Error(`child process ended (${code}) before answering`));
      };
      this.process.once('message', onMessage);
      this.process.once('exit', onExit);
      this.process.send(request as object);
    });
  }

  async stop(request: Request): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.send(request as object);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function started(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      if (message === 'ready') resolve();
      else reject(new Error(`${what} said ${JSON.stringify(message)} instead of ready`));
    });
    child.once('exit', (code) => reject(new Error(`${what} ended (${code}) while starting`)));
  });
}

export class BridgeProcess extends Child<ChildRequest, ChildReport> {
  /** The bridge (bridge-child.js), or with `script` a stand-in that reports alike. */
  static async start(options: object, script = 'bridge-child.js'): Promise<BridgeProcess> {
    const child = fork(path.join(__dirname, script), [JSON.stringify(options)], {
      // BENCH_BRIDGE_NODE_ARGS='--cpu-prof' profiles the bridge while it is measured.
      execArgv: ['--expose-gc', ...(process.env.BENCH_BRIDGE_NODE_ARGS ?? '').split(' ')].filter(
        (arg) => arg !== '',
      ),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await started(child, 'the bridge');
    return new BridgeProcess(child);
  }

  report(gc = false): Promise<ChildReport> {
    return this.ask({ type: 'report', gc });
  }

  /** Waits until the bridge has handled `count` status messages and gone quiet. */
  async settle(count: number, quietMs = 400, timeoutMs = 600_000): Promise<ChildReport> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.report();
    let stableSince = Date.now();
    for (;;) {
      await sleep(100);
      const now = await this.report();
      const moved =
        now.statusMessages !== last.statusMessages ||
        now.statesPublished !== last.statesPublished ||
        now.configs !== last.configs ||
        now.configsReceived !== last.configsReceived;
      if (moved) stableSince = Date.now();
      last = now;
      if (now.statusMessages >= count && Date.now() - stableSince >= quietMs) return now;
      if (Date.now() > deadline) {
        throw new Error(`the bridge handled ${now.statusMessages} of ${count} messages in time`);
      }
    }
  }

  close(): Promise<void> {
    return this.stop({ type: 'stop' });
  }
}

export class SinkProcess extends Child<SinkRequest, SinkReply> {
  static async start(url: string, qos: 0 | 1, topics: string[]): Promise<SinkProcess> {
    const child = fork(path.join(__dirname, 'sink-child.js'), [url, String(qos), ...topics], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await started(child, 'the sink');
    return new SinkProcess(child);
  }

  close(): Promise<void> {
    return this.stop({ type: 'stop' });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wall-clock milliseconds comparable between the benchmark's processes. */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

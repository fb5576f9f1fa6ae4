import { CliffracerError } from '@cliffracer/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from './free-port.js';
import { NatsServerProcess } from './nats-server.process.js';

/**
 * A NATS cluster of `nats-server` processes on loopback, each with JetStream, routed to each
 * other: for tests of what survives the loss of a node. Nodes are named `n1`, `n2`, ….
 *
 * @example
 * await using cluster = await NatsCluster.start(3);
 * const orders = { servers: [cluster.urls[1], ...cluster.urls], connection: { noRandomize: true } };
 * await cluster.nodes[1].kill('SIGKILL');
 */
export class NatsCluster {
  private constructor(readonly nodes: NatsServerProcess[]) {}

  /** Starts `size` nodes and waits until the cluster has elected its JetStream leader. */
  static async start(size = 3, timeoutMs = 30_000): Promise<NatsCluster> {
    const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
    const routes = clusterPorts.map((port) => `nats://127.0.0.1:${port}`);
    const nodes = await Promise.all(
      clusterPorts.map((port, i) => NatsServerProcess.start({ name: `n${i + 1}`, cluster: { name: 'cliffracer-test', port, routes: routes.filter((_, j) => j !== i) } })),
    );
    const cluster = new NatsCluster(nodes);
    try {
      await cluster.waitForJetStream(timeoutMs);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** Client URLs of every node, in node order. */
  get urls(): string[] {
    return this.nodes.map((node) => node.url);
  }

  /** The node whose server name is `name` (`n2`). */
  node(name: string): NatsServerProcess {
    const index = Number(name.slice(1)) - 1;
    const node = this.nodes[index];
    if (node === undefined) throw new CliffracerError(`no node ${name} in a cluster of ${this.nodes.length}`, { code: 'NO_SUCH_NODE' });
    return node;
  }

  /** Waits until JetStream answers on every node (the meta leader is elected and known). */
  async waitForJetStream(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const url of this.urls) {
      const nc = await connect({ servers: url });
      try {
        for (;;) {
          const ready = await jetstreamManager(nc, { timeout: 1000 }).then((jsm) => jsm.getAccountInfo()).then(() => true, () => false);
          if (ready) break;
          if (Date.now() > deadline) throw new CliffracerError(`JetStream of the cluster is not ready after ${timeoutMs}ms`, { code: 'CLUSTER_NOT_READY' });
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } finally {
        await nc.close();
      }
    }
  }

  /** Stops every node and removes their stores. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

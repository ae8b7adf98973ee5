// A stand-in for the bridge that does no translating: it decodes each status with
// protobufjs, as the bridge does first, and publishes as many states of the same size as
// the bridge sent for its messages. Run through the same harness as the bridge, it shows
// how much of the broker's relay rate a Node.js process with the bridge's traffic reaches
// on this machine before any of the bridge's own work. argv[2] is a RelayPlan as JSON.
import mqtt from 'mqtt';
import { readStatus } from '../src/gateway/wire';
import { Busy, serveReports } from './child-reports';

export interface RelayPlan {
  url: string;
  prefix: string;
  base: string;
  /** States published per status message, on average, as by the bridge. */
  statesPerMessage: number;
  /** Bytes of each state's payload, as the bridge's on average. */
  stateBytes: number;
}

function main(): void {
  const plan = JSON.parse(process.argv[2] ?? '{}') as RelayPlan;
  const client = mqtt.connect(plan.url, { reconnectPeriod: 0 });
  let statusMessages = 0;
  let statesPublished = 0;
  // States owed: publishing whole states, the average matches the bridge's.
  let owed = 0;
  const pad = 'x'.repeat(plan.stateBytes);
  const relay = (topic: string, payload: Buffer): void => {
    statusMessages += 1;
    // The topic is {prefix}/{id}/status: the subscription takes nothing else.
    const id = topic.slice(plan.prefix.length + 1, -'/status'.length);
    const status = readStatus(payload);
    // The benchmark watches for the marker the bridge would carry in the gateway's state.
    const head = `{"heap_internal_min_free":${status.heap_internal_min_free ?? 0},"pad":"`;
    const state = `${head}${pad.slice(head.length + 2)}"}`;
    owed += plan.statesPerMessage;
    const count = Math.max(1, Math.floor(owed));
    owed -= count;
    for (let i = 0; i < count; i++) {
      client.publish(`${plan.base}/${id}/state`, state, { qos: 0, retain: true });
    }
    statesPublished += count;
  };
  const busy = new Busy();
  client.on('message', busy.time(relay));
  client.on('connect', () => {
    client.subscribe(`${plan.prefix}/+/status`, { qos: 0 }, () => process.send?.('ready'));
  });
  serveReports(
    () => ({ statusMessages, statesPublished, configs: 0, configsReceived: 0 }),
    busy,
    () => client.endAsync(),
  );
}

main();
